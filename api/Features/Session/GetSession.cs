using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Session;

/// <summary>Says who is signed in, and (for a session) hands out a fresh CSRF token in the XSRF-TOKEN cookie.</summary>
public static class GetSession
{
    public sealed record Query : IQuery<SessionResponse?>;

    public static async Task<Results<Ok<SessionResponse>, NotFound>> Endpoint(ISender sender, HttpContext http, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (await sender.Send(new Query(), ct) is not { } session) return TypedResults.NotFound();
        if (session.AuthenticatedBy == SessionAuthenticationHandler.SchemeName) Csrf.IssueToken(http, antiforgery);
        return TypedResults.Ok(session);
    }

    public sealed class Handler(DbDataSource db, Caller caller) : IQueryHandler<Query, SessionResponse?>
    {
        public async ValueTask<SessionResponse?> Handle(Query query, CancellationToken ct)
        {
            if (caller.UserId is not { } userId) return null;
            await using var connection = await db.OpenConnectionAsync(ct);
            var user = await UserResponse.LoadAsync(connection, userId, ct);
            if (user is null) return null;
            var token = caller.Kind == CallerKind.Token;
            return new SessionResponse(user, caller.Kind.ToString().ToLowerInvariant(),
                token ? caller.Scopes.Order().ToList() : null, token ? caller.KpiKeys?.Order().ToList() : null, null);
        }
    }
}
