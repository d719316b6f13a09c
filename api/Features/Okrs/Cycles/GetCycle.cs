using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;
using System.Data.Common;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Reads one cycle.</summary>
public static class GetCycle
{
    public sealed record Query(Guid CycleId) : IQuery<CycleResponse?>;

    public static async Task<Results<Ok<CycleResponse>, NotFound>> Endpoint(Guid cycleId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        if (await sender.Send(new Query(cycleId), ct) is not { } cycle) return TypedResults.NotFound();
        ETags.Set(response, cycle.Version);
        return TypedResults.Ok(cycle);
    }

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, CycleResponse?>
    {
        public async ValueTask<CycleResponse?> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return (await CycleRow.FindAsync(connection, query.CycleId, ct))?.ToResponse();
        }
    }
}
