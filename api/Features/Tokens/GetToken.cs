using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Tokens;

/// <summary>One API token with its version (ETag), never its secret: the caller's own, or anyone's for an admin.</summary>
public static class GetToken
{
    public sealed record Query(Guid TokenId) : IQuery<TokenResponse?>;

    public static async Task<Results<Ok<TokenResponse>, NotFound>> Endpoint(Guid tokenId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        if (await sender.Send(new Query(tokenId), ct) is not { } token) return TypedResults.NotFound();
        ETags.Set(response, token.Version);
        return TypedResults.Ok(token);
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller) : IQueryHandler<Query, TokenResponse?>
    {
        public async ValueTask<TokenResponse?> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var token = await TokenResponse.LoadAsync(connection, query.TokenId, clock.GetUtcNow(), ct);
            return token is not null && (token.UserId == caller.UserId || caller.IsAdmin) ? token : null;
        }
    }
}
