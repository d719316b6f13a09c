using System.Data.Common;
using System.Security.Claims;
using Dapper;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Infrastructure.Security;

public enum CallerKind
{
    Anonymous,
    /// <summary>A person signed in with a session cookie.</summary>
    Session,
    /// <summary>A person signed in at an external identity provider (JWT bearer).</summary>
    Oidc,
    /// <summary>An integrator's API token, acting for the person who created it.</summary>
    Token,
    /// <summary>The application itself: demo seeding and start-up, never an HTTP request.</summary>
    System,
}

/// <summary>
/// Who is making the request, read from the authenticated principal: the person, their role, and for a token
/// its scopes and KPI restriction. Handlers ask it whether a write is allowed; the audit log and measurements
/// record its <see cref="Actor"/>.
/// </summary>
public sealed class Caller
{
    public const string KindClaim = "okrkpi:kind";
    public const string ScopeClaim = "okrkpi:scope";
    public const string TokenClaim = "okrkpi:token";
    public const string KpiClaim = "okrkpi:kpi";
    public const string ReceiverClaim = "okrkpi:receiver";

    public static readonly Caller System = new(CallerKind.System, null, "system", "system", Role.Admin, new HashSet<string>(), null, null);
    public static readonly Caller Anonymous = new(CallerKind.Anonymous, null, "anonymous", "anonymous", Role.Viewer, new HashSet<string>(), null, null);

    private IReadOnlySet<Guid>? _teams;

    private Caller(CallerKind kind, Guid? userId, string email, string displayName, Role role,
        IReadOnlySet<string> scopes, string? tokenPublicId, IReadOnlySet<string>? kpiKeys, Guid? receiverId = null)
    {
        ReceiverId = receiverId;
        Kind = kind;
        UserId = userId;
        Email = email;
        DisplayName = displayName;
        Role = role;
        Scopes = scopes;
        TokenPublicId = tokenPublicId;
        KpiKeys = kpiKeys;
    }

    public CallerKind Kind { get; }
    public Guid? UserId { get; }
    public string Email { get; }
    public string DisplayName { get; }
    public Role Role { get; }
    public IReadOnlySet<string> Scopes { get; }
    public string? TokenPublicId { get; }

    /// <summary>The KPI keys (lower case) a restricted token may write to; null when it is not restricted.</summary>
    public IReadOnlySet<string>? KpiKeys { get; }

    /// <summary>The one receiver a restricted token may deliver to (POST /api/v1/hooks/{id}); it may do nothing else.</summary>
    public Guid? ReceiverId { get; }

    /// <summary>Who acted, as the audit log and a measurement's recordedBy say it: an email, or "token:&lt;public id&gt;".</summary>
    public string Actor => Kind == CallerKind.Token ? $"token:{TokenPublicId}" : Email;

    public bool IsAdmin => Has(Security.Scopes.Admin);

    /// <summary>Whether the caller may act with the scope: its role allows it and, for a token, the token holds it (or admin).</summary>
    public bool Has(string scope) => Kind switch
    {
        CallerKind.System => true,
        CallerKind.Anonymous => false,
        CallerKind.Token => Role >= Security.Scopes.RoleNeeded(scope)
            && (Scopes.Contains(scope) || (Scopes.Contains(Security.Scopes.Admin) && Role == Role.Admin)),
        _ => Role >= Security.Scopes.RoleNeeded(scope),
    };

    private const string ItemKey = "okrkpi:caller";

    /// <summary>
    /// The caller of the request, read from its principal once: the rate limiter, the policies and the handlers all
    /// ask, on every request. Read again should the principal be replaced (signing in swaps it).
    /// </summary>
    public static Caller Of(HttpContext http)
    {
        if (http.Items.TryGetValue(ItemKey, out var known) && known is (ClaimsPrincipal principal, Caller caller) && ReferenceEquals(principal, http.User))
            return caller;
        var read = From(http.User);
        http.Items[ItemKey] = (http.User, read);
        return read;
    }

    /// <summary>The caller of an authorization check: the request's, when the check is about one.</summary>
    public static Caller Of(Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http && ReferenceEquals(http.User, context.User) ? Of(http) : From(context.User);

    public static Caller From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true
            || !Enum.TryParse<CallerKind>(principal.FindFirstValue(KindClaim), out var kind)
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Enum.TryParse<Role>(principal.FindFirstValue(ClaimTypes.Role), out var role))
            return Anonymous;

        var kpis = principal.FindAll(KpiClaim).Select(c => c.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new Caller(kind, userId, principal.FindFirstValue(ClaimTypes.Email) ?? "", principal.FindFirstValue(ClaimTypes.Name) ?? "", role,
            principal.FindAll(ScopeClaim).Select(c => c.Value).ToHashSet(), principal.FindFirstValue(TokenClaim),
            kind == CallerKind.Token && kpis.Count > 0 ? kpis : null,
            kind == CallerKind.Token && Guid.TryParse(principal.FindFirstValue(ReceiverClaim), out var receiver) ? receiver : null);
    }

    /// <summary>The claims of a signed-in person (or a token acting for them), as the authentication handlers issue them.</summary>
    public static ClaimsPrincipal Principal(string scheme, CallerKind kind, Guid userId, string email, string displayName, Role role,
        IEnumerable<string>? scopes = null, string? tokenPublicId = null, IEnumerable<string>? kpiKeys = null, Guid? receiverId = null)
    {
        var claims = new List<Claim>
        {
            new(KindClaim, kind.ToString()),
            new(ClaimTypes.NameIdentifier, userId.ToString()),
            new(ClaimTypes.Email, email),
            new(ClaimTypes.Name, displayName),
            new(ClaimTypes.Role, role.ToString()),
        };
        claims.AddRange((scopes ?? []).Select(scope => new Claim(ScopeClaim, scope)));
        if (tokenPublicId is not null) claims.Add(new Claim(TokenClaim, tokenPublicId));
        claims.AddRange((kpiKeys ?? []).Select(key => new Claim(KpiClaim, key)));
        if (receiverId is not null) claims.Add(new Claim(ReceiverClaim, receiverId.Value.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The teams the person belongs to, read once per request.</summary>
    public async Task<IReadOnlySet<Guid>> TeamIdsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (_teams is not null) return _teams;
        if (UserId is not { } userId) return _teams = new HashSet<Guid>();
        var teams = await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT TeamId FROM TeamMember WHERE UserId = @UserId", new { UserId = userId }, transaction, cancellationToken: ct));
        return _teams = teams.ToHashSet();
    }

    /// <summary>
    /// Refuses (403) a write to something owned by <paramref name="ownerTeamId"/> unless the caller may write with the
    /// scope and is an admin or belongs to that team. Something without an owning team is the admins' to change.
    /// </summary>
    public async Task EnsureMayWriteAsync(string scope, Guid? ownerTeamId, string what, DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (await WriteRefusalAsync(scope, ownerTeamId, what, connection, transaction, ct) is { } refusal)
            throw new ForbiddenException(refusal);
    }

    /// <summary>
    /// Why EnsureMayWriteAsync would refuse, or null: for batches and imports, which reject one item
    /// or row and go on. Reads the caller's teams at most once per request.
    /// </summary>
    public async ValueTask<string?> WriteRefusalAsync(string scope, Guid? ownerTeamId, string what, DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (!Has(scope))
            return $"Changing {what} needs the '{scope}' permission, which you do not have.";
        if (IsAdmin) return null;
        if (ownerTeamId is not { } team)
            return $"{Capitalised(what)} has no owning team, so only an admin can change it.";
        if (!(await TeamIdsAsync(connection, transaction, ct)).Contains(team))
            return $"{Capitalised(what)} is owned by a team you are not a member of.";
        return null;
    }

    /// <summary>Whether the caller is an admin, the person <paramref name="ownerUserId"/>, or a member of the team <paramref name="ownerTeamId"/>.</summary>
    public async Task<bool> OwnsAsync(Guid? ownerTeamId, Guid? ownerUserId, DbConnection connection, DbTransaction? transaction, CancellationToken ct) =>
        IsAdmin
        || (ownerUserId is { } user && user == UserId)
        || (ownerTeamId is { } team && (await TeamIdsAsync(connection, transaction, ct)).Contains(team));

    /// <summary>
    /// <see cref="EnsureMayWriteAsync(string, Guid?, string, DbConnection, DbTransaction?, CancellationToken)"/> for what a
    /// team or a person owns (OKRs): an editor writes what its teams or itself own, an admin anything.
    /// </summary>
    public async Task EnsureMayWriteAsync(string scope, Guid? ownerTeamId, Guid? ownerUserId, string what, DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (!Has(scope))
            throw new ForbiddenException($"Changing {what} needs the '{scope}' permission, which you do not have.");
        if (await OwnsAsync(ownerTeamId, ownerUserId, connection, transaction, ct)) return;
        throw new ForbiddenException(ownerUserId is not null ? $"{Capitalised(what)} is owned by another person."
            : ownerTeamId is not null ? $"{Capitalised(what)} is owned by a team you are not a member of."
            : $"{Capitalised(what)} has no owner, so only an admin can change it.");
    }

    /// <summary>Whether a restricted token may write to the KPI with this key.</summary>
    public bool MayUseKpi(string key) => KpiKeys is null || KpiKeys.Contains(key);

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
