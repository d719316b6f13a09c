using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>Every value a period of a KPI has had, newest first: the current one, the replaced ones and deletions.</summary>
public static class ListMeasurementRevisions
{
    public enum RevisionState { Current, Replaced, Deleted }

    public sealed record Query(string IdOrKey, string Period) : IQuery<Response>;

    /// <param name="EndedAt">When this value stopped being current (replaced or deleted); null for the current value.</param>
    public sealed record Revision([property: Infrastructure.OpenApi.NumberOrBoolean] object Value, RevisionState State, MeasurementSource Source, string? Note, string? ExternalId,
        DateTimeOffset RecordedAt, string? RecordedBy, DateTimeOffset? EndedAt, string? EndedBy);

    public sealed record Response(Guid KpiId, string KpiKey, string Period, DateTimeOffset PeriodStart, IReadOnlyList<Revision> Revisions);

    public static async Task<Ok<Response>> Endpoint(string idOrKey, string period, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(idOrKey, period), ct));

    public sealed class Handler(DbDataSource db, Organisation organisation) : IQueryHandler<Query, Response>
    {
        private const string HistorySql = """
            SELECT Value, Source, Note, ExternalId, RecordedAt, RecordedBy, SupersededAt, SupersededBy, Reason
            FROM KpiMeasurementHistory
            WHERE KpiId = @KpiId AND PeriodStart = @PeriodStart
            ORDER BY SupersededAt DESC, RecordedAt DESC
            """;

        private sealed class HistoryRow
        {
            public decimal Value { get; init; }
            public MeasurementSource Source { get; init; }
            public string? Note { get; init; }
            public string? ExternalId { get; init; }
            public DateTimeOffset RecordedAt { get; init; }
            public string? RecordedBy { get; init; }
            public DateTimeOffset SupersededAt { get; init; }
            public string? SupersededBy { get; init; }
            public string Reason { get; init; } = "";
        }

        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            var zone = organisation.TimeZone;
            await using var connection = await db.OpenConnectionAsync(ct);
            var kpi = await KpiRow.GetAsync(connection, query.IdOrKey, ct);
            var periodStart = kpi.PeriodStartOf(query.Period, "period", zone);

            var parameters = new { KpiId = kpi.Id, PeriodStart = periodStart };
            var current = await connection.QuerySingleOrDefaultAsync<MeasurementWrites.StoredRow>(new CommandDefinition(MeasurementWrites.CurrentForPeriodSql, parameters, cancellationToken: ct));
            var history = await connection.QueryAsync<HistoryRow>(new CommandDefinition(HistorySql, parameters, cancellationToken: ct));

            var revisions = new List<Revision>();
            if (current is not null)
                revisions.Add(new Revision(MeasurementWrites.Present(kpi.ValueType, current.Value), RevisionState.Current, current.Source,
                    current.Note, current.ExternalId, current.RecordedAt, current.RecordedBy, null, null));
            revisions.AddRange(history.Select(h => new Revision(MeasurementWrites.Present(kpi.ValueType, h.Value),
                h.Reason == "deleted" ? RevisionState.Deleted : RevisionState.Replaced,
                h.Source, h.Note, h.ExternalId, h.RecordedAt, h.RecordedBy, h.SupersededAt, h.SupersededBy)));

            return new Response(kpi.Id, kpi.KpiKey, KpiPeriods.Label(kpi.Frequency, periodStart, zone), periodStart, revisions);
        }
    }
}
