using Microsoft.AspNetCore.Authorization;

namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>
/// The authorization policies every endpoint names explicitly. A scope policy admits a person whose role
/// allows it, or a token holding that scope (or <c>admin</c>) whose owner's role allows it. Ownership
/// (editor of the owning team) is checked by the handler once the resource is loaded: 404 before 403.
/// </summary>
public static class Policies
{
    public const string KpisRead = Scopes.KpisRead;
    public const string OkrsRead = Scopes.OkrsRead;
    public const string MeasurementsWrite = Scopes.MeasurementsWrite;
    public const string KpisWrite = Scopes.KpisWrite;
    public const string OkrsWrite = Scopes.OkrsWrite;
    public const string Admin = Scopes.Admin;

    /// <summary>Anyone signed in, by session, OIDC or any token: "who am I".</summary>
    public const string SignedIn = "signed-in";

    /// <summary>A person, not a token: managing one's tokens and password needs the person themself.</summary>
    public const string Person = "person";

    /// <summary>Reading what both halves of the product share (teams, people): either read scope will do.</summary>
    public const string DirectoryRead = "directory:read";

    public static void Add(AuthorizationOptions options)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        foreach (var scope in Scopes.All)
            options.AddPolicy(scope, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement([scope])));
        options.AddPolicy(DirectoryRead, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement([Scopes.KpisRead, Scopes.OkrsRead])));
        options.AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser());
        options.AddPolicy(Person, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Caller.Of(context).Kind != CallerKind.Token));
    }
}

/// <summary>Met when the caller may act with any one of the scopes.</summary>
public sealed record ScopeRequirement(IReadOnlyList<string> AnyOf) : IAuthorizationRequirement;

public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var caller = Caller.Of(context);
        // A token restricted to a receiver passes only on that receiver's hook, whatever its scopes.
        if (caller.ReceiverId is { } receiver && !IsHookOf(context.Resource, receiver)) return Task.CompletedTask;
        if (requirement.AnyOf.Any(caller.Has)) context.Succeed(requirement);
        return Task.CompletedTask;
    }

    private static bool IsHookOf(object? resource, Guid receiver) =>
        resource is HttpContext http && http.GetEndpoint()?.Metadata.GetMetadata<ReceiverHookMetadata>() is not null
        && Guid.TryParse(http.GetRouteValue("receiverId") as string, out var id) && id == receiver;
}

/// <summary>Marks the endpoint that takes a receiver's deliveries: the one place a receiver-restricted token is admitted.</summary>
public sealed class ReceiverHookMetadata;
