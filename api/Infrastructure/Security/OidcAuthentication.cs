using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace OkrKpi.Api.Infrastructure.Security;

public sealed class OidcOptions
{
    /// <summary>Accept JWT bearer tokens from an external identity provider (e.g. Entra ID) besides local sign-in and API tokens.</summary>
    public bool Enabled { get; set; }

    /// <summary>The issuer's URL; its discovery document supplies the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the tokens must be issued for (the API's app id URI or client id).</summary>
    public string? Audience { get; set; }

    /// <summary>The claim naming the person: their email or user principal name.</summary>
    public string EmailClaim { get; set; } = "preferred_username";

    public string NameClaim { get; set; } = "name";

    /// <summary>The claim carrying app roles; Entra ID sends them in "roles".</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Claim values that grant a role; the highest match wins, no match means viewer.</summary>
    public Dictionary<string, Role> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["OkrKpi.Admin"] = Role.Admin,
        ["OkrKpi.Editor"] = Role.Editor,
    };
}

/// <summary>
/// JWT bearer tokens from an external identity provider. Each signed-in person gets (or keeps) a local user row,
/// matched by email, so team memberships, the audit log and "disabled" work as for local accounts; the role follows
/// the token's role claim on every sign-in.
/// </summary>
public static class OidcAuthentication
{
    public const string Scheme = "oidc";

    private const string FindSql = "SELECT Id, Role, DisplayName, Disabled FROM AppUser WHERE EmailNormalized = @EmailNormalized";

    private const string UpdateSql = """
        UPDATE AppUser SET Role = @Role, DisplayName = @DisplayName, ExternalSubject = @Subject, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id
        """;

    private sealed class Row
    {
        public Guid Id { get; init; }
        public Role Role { get; init; }
        public string DisplayName { get; init; } = "";
        public bool Disabled { get; init; }
    }

    public static void Add(AuthenticationBuilder authentication, OidcOptions oidc) =>
        authentication.AddJwtBearer(Scheme, jwt =>
        {
            jwt.Authority = oidc.Authority;
            jwt.Audience = oidc.Audience;
            jwt.MapInboundClaims = false;
            jwt.Events = new JwtBearerEvents { OnTokenValidated = context => ProvisionAsync(context, oidc) };
        });

    private static async Task ProvisionAsync(TokenValidatedContext context, OidcOptions oidc)
    {
        var token = context.Principal!;
        var email = token.FindFirstValue(oidc.EmailClaim);
        if (string.IsNullOrWhiteSpace(email) || email.Length > 254)
        {
            context.Fail($"The token has no usable '{oidc.EmailClaim}' claim.");
            return;
        }
        var role = token.FindAll(oidc.RoleClaim).Select(c => oidc.Roles.GetValueOrDefault(c.Value, Role.Viewer)).DefaultIfEmpty(Role.Viewer).Max();
        var displayName = token.FindFirstValue(oidc.NameClaim) is { Length: > 0 and <= 100 } name ? name : email;
        var subject = token.FindFirstValue("sub");

        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var connection = await services.GetRequiredService<DbDataSource>().OpenConnectionAsync(context.HttpContext.RequestAborted);
        var normalized = People.NormalizeEmail(email);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(FindSql, new { EmailNormalized = normalized });
        if (row is null)
        {
            try
            {
                var id = Guid.CreateVersion7();
                await People.InsertAsync(connection, null, id, email, displayName, role, password: null, now, context.HttpContext.RequestAborted, externalSubject: subject);
                row = new Row { Id = id, Role = role, DisplayName = displayName };
            }
            catch (DbException)
            {
                // A person's first requests arriving together race to provision them: the loser uses the winner's row.
                var twin = await connection.QuerySingleOrDefaultAsync<Row>(FindSql, new { EmailNormalized = normalized });
                if (twin is null) throw;
                row = twin;
            }
        }
        if (row.Disabled)
        {
            context.Fail("The person is disabled.");
            return;
        }
        else if (row.Role != role || row.DisplayName != displayName)
        {
            await connection.ExecuteAsync(UpdateSql, new { row.Id, Role = role.ToString(), DisplayName = displayName, Subject = subject, Now = now });
        }

        context.Principal = Caller.Principal(Scheme, CallerKind.Oidc, row.Id, email.Trim(), displayName, role);
    }
}
