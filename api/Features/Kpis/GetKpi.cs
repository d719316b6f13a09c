using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>Reads one KPI by its id or by its key.</summary>
public static class GetKpi
{
    public sealed record Query(string IdOrKey) : IQuery<KpiResponse?>;

    public static async Task<Results<Ok<KpiResponse>, NotFound>> Endpoint(string idOrKey, ISender sender, HttpResponse response, CancellationToken ct)
    {
        if (await sender.Send(new Query(idOrKey), ct) is not { } kpi) return TypedResults.NotFound();
        ETags.Set(response, kpi.Version);
        return TypedResults.Ok(kpi);
    }

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, KpiResponse?>
    {
        public async ValueTask<KpiResponse?> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await KpiRow.LoadAsync(connection, query.IdOrKey, ct);
        }
    }
}
