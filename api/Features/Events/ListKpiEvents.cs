using System.Data.Common;
using System.Globalization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Events;

/// <summary>A KPI's recorded events, newest occurrence first, a page at a time.</summary>
public static class ListKpiEvents
{
    public sealed record Query(string IdOrKey, int? Limit, string? Cursor) : IQuery<Page<KpiEventResponse>>;

    public static async Task<Ok<Page<KpiEventResponse>>> Endpoint(string idOrKey, ISender sender, CancellationToken ct, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(idOrKey, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor(key => Cursor.TryRead(key, out _, out _));
        }
    }

    /// <summary>The sort key of the last event of a page: its moment (UTC, round-trip format) and its id.</summary>
    private static class Cursor
    {
        public static string Of(EventWrites.EventRow row) =>
            string.Create(CultureInfo.InvariantCulture, $"{row.OccurredAt.UtcDateTime:O}|{row.Id}");

        public static bool TryRead(string key, out DateTimeOffset at, out Guid id)
        {
            id = default;
            at = default;
            var parts = key.Split('|');
            return parts.Length == 2
                && DateTimeOffset.TryParseExact(parts[0], "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at)
                && Guid.TryParse(parts[1], out id);
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect, Organisation organisation) : IQueryHandler<Query, Page<KpiEventResponse>>
    {
        private const string Filter = """
            FROM KpiEvent
            WHERE KpiId = @KpiId AND (@At IS NULL OR OccurredAt < @At OR (OccurredAt = @At AND Id < @Id))
            ORDER BY OccurredAt DESC, Id DESC
            """;

        private const string Columns = "Id, KpiId, PeriodStart, OccurredAt, Value, EventId, RecordedAt, RecordedBy";
        private const string SqliteSql = $"SELECT {Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {Columns} {Filter}";

        public async ValueTask<Page<KpiEventResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            await using var connection = await db.OpenConnectionAsync(ct);
            var kpi = await KpiRow.GetAsync(connection, query.IdOrKey, ct);
            DateTimeOffset? at = null;
            Guid? id = null;
            if (Paging.Decode(query.Cursor) is { } key && Cursor.TryRead(key, out var lastAt, out var lastId)) (at, id) = (lastAt, lastId);
            var rows = (await connection.QueryAsync<EventWrites.EventRow>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql),
                new { KpiId = kpi.Id, At = at, Id = id, Take = limit + 1 }, cancellationToken: ct))).ToList();
            var page = Paging.Of(rows, limit, Cursor.Of);
            return new Page<KpiEventResponse>(page.Items.Select(r => EventWrites.Response(kpi, r, organisation.TimeZone)).ToList(), page.NextCursor);
        }
    }
}
