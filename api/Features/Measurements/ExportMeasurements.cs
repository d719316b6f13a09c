using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// Streams measurements as CSV or NDJSON in exactly the import format, so an export imports into an empty database
/// as the same data, and re-importing it reports every row unchanged. Values of computed KPIs are left out: the import
/// refuses them, and computes them again from their inputs.
/// </summary>
public static class ExportMeasurements
{
    public sealed record Query(string? Kpis, string? From, string? To, string? Format) : IQuery<Export>;

    /// <summary>The rows to write, read lazily from the database while the response is written.</summary>
    public sealed record Export(string Format, IAsyncEnumerable<Row> Rows, DbConnection Connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    public sealed record Row(string Kpi, string Period, string Value, string? Note, string? ExternalId);

    public static async Task Endpoint(HttpContext http, ISender sender, CancellationToken ct,
        string? kpis = null, string? from = null, string? to = null, string? format = null)
    {
        format ??= http.Request.Headers.Accept.ToString().Contains("ndjson", StringComparison.OrdinalIgnoreCase) ? "ndjson" : "csv";
        await using var export = await sender.Send(new Query(kpis, from, to, format), ct);
        var ndjson = export.Format == "ndjson";
        http.Response.ContentType = ndjson ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"measurements.{(ndjson ? "ndjson" : "csv")}\"";
        if (ndjson) await WriteNdjsonAsync(http.Response.Body, export.Rows, ct);
        else await WriteCsvAsync(http.Response.Body, export.Rows, ct);
    }

    private static async Task WriteCsvAsync(Stream body, IAsyncEnumerable<Row> rows, CancellationToken ct)
    {
        // No formula-injection escaping: it would change values such as -1.5, and the file must round-trip exactly.
        var options = new CsvWriterOptions { Separator = ',', NewLine = "\n", Injection = CsvInjection.None };
        // Every write is asynchronous (the record calls flush when the buffer fills): the server refuses synchronous I/O,
        // and a synchronous flush in the middle of a long export would cut the download off.
        await using var writer = CsvWriter.Create(body, options, leaveOpen: true);
        await writer.WriteRecordAsync(ImportMeasurements.Columns, ct);
        await foreach (var row in rows.WithCancellation(ct))
            await writer.WriteRecordAsync([row.Kpi, row.Period, row.Value, row.Note ?? "", row.ExternalId ?? ""], ct);
        await writer.FlushAsync(ct);
    }

    private static async Task WriteNdjsonAsync(Stream body, IAsyncEnumerable<Row> rows, CancellationToken ct)
    {
        await using var buffered = new BufferedStream(body, 64 * 1024);
        await using var json = new Utf8JsonWriter(buffered, new JsonWriterOptions { SkipValidation = true });
        var newline = "\n"u8.ToArray();
        await foreach (var row in rows.WithCancellation(ct))
        {
            json.WriteStartObject();
            json.WriteString("kpi", row.Kpi);
            json.WriteString("period", row.Period);
            json.WritePropertyName("value");
            json.WriteRawValue(row.Value, skipInputValidation: true);
            if (row.Note is not null) json.WriteString("note", row.Note);
            if (row.ExternalId is not null) json.WriteString("externalId", row.ExternalId);
            json.WriteEndObject();
            await json.FlushAsync(ct);
            json.Reset();
            await buffered.WriteAsync(newline, ct);
        }
        await buffered.FlushAsync(ct);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Format).OneOf(["csv", "ndjson"]).WithMessage("format must be csv or ndjson.");
            RuleFor(q => q.Kpis).MaximumLength(KpiDefinition.KeyListMaxLength).Must(k => k is null || KpiDefinition.KeysFromList(k).Count <= KpiDefinition.MaxKeysInList)
                .WithMessage($"kpis names at most {KpiDefinition.MaxKeysInList} KPIs.");
            RuleFor(q => q.From).MaximumLength(MeasurementLimits.PeriodMaxLength);
            RuleFor(q => q.To).MaximumLength(MeasurementLimits.PeriodMaxLength);
            RuleFor(q => q.From).Must(BeAnInstantOrDate!).When(q => q.From is not null).WithMessage("from must be a date (2026-07-01) or an instant with offset.");
            RuleFor(q => q.To).Must(BeAnInstantOrDate!).When(q => q.To is not null).WithMessage("to must be a date (2026-07-31) or an instant with offset.");
        }

        private static bool BeAnInstantOrDate(string text) => TryInstant(text, TimeZoneInfo.Utc, out _);
    }

    /// <summary>A date means its midnight in the organisation's zone; an instant must carry its offset.</summary>
    internal static bool TryInstant(string text, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var local = date.ToDateTime(TimeOnly.MinValue);
            instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
            return true;
        }
        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out instant)
            && (text.EndsWith('Z') || text.Contains('+') || text.LastIndexOf('-') > 9);
    }

    public sealed class Handler(DbDataSource db, Organisation organisation) : IQueryHandler<Query, Export>
    {
        // Ordered like a person would read it: KPI by key, then time. Streamed, never buffered.
        private const string RowsSql = """
            SELECT k.KpiKey, k.Frequency, k.ValueType, m.PeriodStart, m.Value, m.Note, m.ExternalId
            FROM KpiMeasurement AS m
            INNER JOIN Kpi AS k ON k.Id = m.KpiId
            WHERE k.FedBy = 'Values'
              AND (@AllKpis = 1 OR k.KeyNormalized IN @Keys)
              AND (@From IS NULL OR m.PeriodStart >= @From)
              AND (@To IS NULL OR m.PeriodStart <= @To)
            ORDER BY k.KeyNormalized, m.PeriodStart
            """;

        private sealed class Stored
        {
            public string KpiKey { get; init; } = "";
            public KpiFrequency Frequency { get; init; }
            public KpiValueType ValueType { get; init; }
            public DateTimeOffset PeriodStart { get; init; }
            public decimal Value { get; init; }
            public string? Note { get; init; }
            public string? ExternalId { get; init; }
        }

        public async ValueTask<Export> Handle(Query query, CancellationToken ct)
        {
            var zone = organisation.TimeZone;
            DateTimeOffset? from = query.From is not null && TryInstant(query.From, zone, out var f) ? f : null;
            DateTimeOffset? to = query.To is not null && TryInstant(query.To, zone, out var t) ? t : null;
            var connection = await db.OpenConnectionAsync(ct);
            var rows = connection.QueryUnbufferedAsync<Stored>(RowsSql, new
            {
                AllKpis = query.Kpis is null,
                Keys = query.Kpis is null ? [] : KpiDefinition.KeysFromList(query.Kpis),
                From = from,
                To = to,
            });
            return new Export(query.Format ?? "csv", Map(rows, zone), connection);
        }

        private static async IAsyncEnumerable<Row> Map(IAsyncEnumerable<Stored> rows, TimeZoneInfo zone)
        {
            await foreach (var row in rows)
                yield return new Row(row.KpiKey, KpiPeriods.Label(row.Frequency, row.PeriodStart, zone),
                    row.ValueType == KpiValueType.Boolean ? (row.Value != 0 ? "true" : "false") : row.Value.ToString(CultureInfo.InvariantCulture),
                    row.Note, row.ExternalId);
        }
    }
}
