using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Reads one key result with its current value, progress and health as of now.</summary>
public static class GetKeyResult
{
    public sealed record Query(Guid KeyResultId) : IQuery<KeyResultResponse?>;

    public static async Task<Results<Ok<KeyResultResponse>, NotFound>> Endpoint(Guid keyResultId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        if (await sender.Send(new Query(keyResultId), ct) is not { } keyResult) return TypedResults.NotFound();
        ETags.Set(response, keyResult.Version);
        return TypedResults.Ok(keyResult);
    }

    public sealed class Handler(DbDataSource db, OkrReader reader) : IQueryHandler<Query, KeyResultResponse?>
    {
        public async ValueTask<KeyResultResponse?> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await reader.KeyResultAsync(connection, query.KeyResultId, ct);
        }
    }
}
