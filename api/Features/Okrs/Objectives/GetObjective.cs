using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Reads one objective with its key results, progress, expected progress and health as of now.</summary>
public static class GetObjective
{
    public sealed record Query(Guid ObjectiveId) : IQuery<ObjectiveResponse?>;

    public static async Task<Results<Ok<ObjectiveResponse>, NotFound>> Endpoint(Guid objectiveId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        if (await sender.Send(new Query(objectiveId), ct) is not { } objective) return TypedResults.NotFound();
        ETags.Set(response, objective.Version);
        return TypedResults.Ok(objective);
    }

    public sealed class Handler(DbDataSource db, OkrReader reader) : IQueryHandler<Query, ObjectiveResponse?>
    {
        public async ValueTask<ObjectiveResponse?> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await reader.ObjectiveAsync(connection, query.ObjectiveId, ct);
        }
    }
}
