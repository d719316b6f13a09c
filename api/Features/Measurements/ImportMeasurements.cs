using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// Loads measurements from a streamed CSV or NDJSON body (kpi,period,value[,note][,externalId]). Atomic by default:
/// one bad row and nothing is stored (422 with the first errors); mode=partial stores the good rows; dryRun=true
/// only validates. Parsing and writing overlap, so the import runs at about the database's own insert rate. A row
/// for a KPI the caller may not write (another team's, or outside a token's KPI list) is an error of its line; the
/// decision is made once per KPI, not per row.
/// </summary>
public static class ImportMeasurements
{
    public const int MaxReportedErrors = 100;
    private const int ChunkRows = 1024;

    // Stands in for an NDJSON value that is a string or structure, which the value rule refuses by name.
    private const string QuotedJsonValue = "\u0000json-string";
    internal static readonly string[] Columns = ["kpi", "period", "value", "note", "externalId"];
    private static readonly string[] Required = ["kpi", "period", "value"];

    public sealed record Command(Stream Body, ImportFormat Format, string? Mode, bool DryRun, IdempotencyKey? Idempotency) : ICommand<Idempotent<Response>>;

    /// <param name="Line">The line of the file (the CSV header is line 1).</param>
    public sealed record ImportError(long Line, string Column, string Reason);

    /// <param name="Committed">Whether the rows were stored: false for a dry run and for an atomic import with errors.</param>
    /// <param name="Errors">The first 100 errors, by line; <c>errorCount</c> has them all.</param>
    public sealed record Response(bool Committed, bool DryRun, BatchMode Mode, long Rows, long Created, long Updated, long Unchanged, long Rejected,
        IReadOnlyList<ImportError> Errors, long ErrorCount);

    /// <summary>One line of an NDJSON import.</summary>
    private sealed record NdjsonRow(string? Kpi, string? Period, JsonElement? Value, string? Note, string? ExternalId);

    public static async Task<Results<Ok<Response>, UnprocessableReport<Response>>> Endpoint(HttpRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, IOptions<ImportOptions> options, CancellationToken ct,
        string? mode = null, bool dryRun = false)
    {
        var format = ImportFormats.Of(request);
        if (request.HttpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
            rate.MinDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(options.Value.MinBytesPerSecond, TimeSpan.FromSeconds(options.Value.MinRateGraceSeconds));

        var (response, replayed) = await sender.Send(new Command(request.Body, format, mode, dryRun, IdempotencyKey.ForStream(idempotencyKey)), ct);
        if (replayed) request.HttpContext.Response.Headers[IdempotencyKey.ReplayedHeader] = "true";
        return response.Committed || (response.DryRun && response.ErrorCount == 0) ? TypedResults.Ok(response) : new UnprocessableReport<Response>(response, ImportReports.Refusal(response.DryRun, response.Rejected));
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Mode).MustBeABatchMode();
    }

    public sealed class Handler(DbDataSource db, Organisation organisation, StreamedImport imports, IOptions<ImportOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, Caller caller, AuditLog audit) : ICommandHandler<Command, Idempotent<Response>>
    {
        public async ValueTask<Idempotent<Response>> Handle(Command command, CancellationToken ct)
        {
            var mode = BatchModeRules.Parse(command.Mode);
            return await imports.RunAsync(command.Body, command.Idempotency, $"import:{command.Format}:{mode}:{command.DryRun}",
                async (connection, transaction, body, now) =>
                {
                    var errors = new ImportErrors(MaxReportedErrors);
                    long rows;
                    ImportCounts counts;
                    bool keep;
                    await using (var writer = CreateWriter(connection, transaction, now, errors))
                    {
                        await writer.StartAsync(ct);
                        rows = await PipeAsync(command, body, writer, errors, mode, now, ct);
                        keep = !command.DryRun && (mode == BatchMode.Partial || errors.Count == 0);
                        counts = await writer.CompleteAsync(keep, ct);
                        keep &= mode == BatchMode.Partial || errors.Count == 0;
                    }
                    var response = new Response(keep, command.DryRun, mode, rows, counts.Created, counts.Updated, counts.Unchanged, errors.Count, errors.First, errors.Count);
                    if (keep && counts.Created + counts.Updated > 0)
                        await audit.RecordAsync(connection, transaction, MeasurementAudit.ImportEntity, Guid.CreateVersion7(now), "import", null, new
                        {
                            Format = command.Format, Mode = mode, Rows = rows, counts.Created, counts.Updated, counts.Unchanged, Rejected = errors.Count,
                        }, now, ct);
                    return (response, keep);
                }, ct);
        }

        private IMeasurementImportWriter CreateWriter(DbConnection connection, DbTransaction transaction, DateTimeOffset now, ImportErrors errors) =>
            connection switch
            {
                SqliteConnection sqlite => new SqliteMeasurementImportWriter(sqlite, (SqliteTransaction)transaction, now, caller.Actor, errors),
                SqlConnection sql => new SqlServerMeasurementImportWriter(sql, (SqlTransaction)transaction, now, caller.Actor, errors),
                _ => throw new InvalidOperationException($"No import writer for {connection.GetType().Name}."),
            };

        /// <summary>
        /// A reader task parses and validates into a small bounded channel while this one writes, so parsing and
        /// the database's inserts overlap on two cores, and memory holds a few chunks whatever the file's size.
        /// </summary>
        private async Task<long> PipeAsync(Command command, Stream body, IMeasurementImportWriter writer, ImportErrors errors,
            BatchMode mode, DateTimeOffset now, CancellationToken ct)
        {
            var channel = Channel.CreateBounded<List<ImportRow>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
            var rows = 0L;
            var reader = Task.Run(async () =>
            {
                try
                {
                    await using var lookup = await db.OpenConnectionAsync(ct);
                    var kpis = new KpiCache(lookup, new KpiAccess(caller, Scopes.MeasurementsWrite));
                    var chunk = new List<ImportRow>(ChunkRows);
                    await foreach (var (line, fields) in Records(command, body, errors, ct))
                    {
                        rows++;
                        if (await ValidateAsync(line, fields, kpis, now, errors, ct) is { } row) chunk.Add(writer.Prepare(row));
                        if (chunk.Count == ChunkRows)
                        {
                            await channel.Writer.WriteAsync(chunk, ct);
                            chunk = new List<ImportRow>(ChunkRows);
                        }
                    }
                    if (chunk.Count > 0) await channel.Writer.WriteAsync(chunk, ct);
                    channel.Writer.Complete();
                }
                catch (Exception e)
                {
                    channel.Writer.Complete(e);
                }
            }, ct);

            await foreach (var chunk in channel.Reader.ReadAllAsync(ct))
            {
                // An atomic import that has failed keeps reading only to report every error; it writes no more.
                if (command.DryRun is false && mode == BatchMode.Atomic && errors.Count > 0) continue;
                foreach (var row in chunk) await writer.WriteAsync(row, ct);
            }
            await reader;
            await channel.Reader.Completion;
            return rows;
        }

        private IAsyncEnumerable<(long Line, string?[] Fields)> Records(Command command, Stream body, ImportErrors errors, CancellationToken ct) =>
            command.Format == ImportFormat.Csv
                ? CsvRecords(body, errors, ct)
                : NdjsonRecords(body, errors, ct);

        private async IAsyncEnumerable<(long, string?[])> CsvRecords(Stream body, ImportErrors errors, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var record in ImportFormats.ReadCsvAsync(body, Columns, Required, options.Value.MaxLineBytes, ct))
            {
                if (record.Problem is not null) errors.Add(record.Line, "line", record.Problem);
                yield return (record.Line, record.Fields);
            }
        }

        // NDJSON values keep their JSON kind: a quoted number is refused as in every JSON endpoint.
        private async IAsyncEnumerable<(long, string?[])> NdjsonRecords(Stream body, ImportErrors errors, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            var serializer = json.Value.SerializerOptions;
            await foreach (var (line, bytes) in ImportFormats.ReadNdjsonAsync(body, options.Value.MaxLineBytes, ct))
            {
                NdjsonRow? row = null;
                var reported = false;
                try
                {
                    row = JsonSerializer.Deserialize<NdjsonRow>(bytes, serializer);
                }
                catch (JsonException e)
                {
                    var (field, reason) = RequestReadErrors.Describe(e, typeof(NdjsonRow));
                    errors.Add(line, field, reason);
                    reported = true;
                }
                if (row is null)
                {
                    // A line that is not an object (or not JSON) still counts as a row of the file.
                    if (!reported) errors.Add(line, "line", "Each line must be a JSON object: {\"kpi\", \"period\", \"value\"}.");
                    yield return (line, Array.Empty<string?>());
                    continue;
                }
                var value = row?.Value switch
                {
                    null or { ValueKind: JsonValueKind.Null } => null,
                    { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
                    _ => QuotedJsonValue,
                };
                yield return (line, [row?.Kpi, row?.Period, value, row?.Note, row?.ExternalId]);
            }
        }

        private async Task<ImportRow?> ValidateAsync(long line, string?[] fields, KpiCache kpis, DateTimeOffset now, ImportErrors errors, CancellationToken ct)
        {
            if (fields.Length == 0) return null;   // already reported
            var zone = organisation.TimeZone;
            if (fields[0] is not { } reference) return Reject("kpi", "kpi is required: the KPI's key or id.");
            var (kpi, forbidden) = await kpis.FindAsync(reference.Trim(), ct);
            if (kpi is null) return Reject("kpi", $"KPI '{reference}' was not found.");
            if (forbidden is not null) return Reject("kpi", forbidden);
            if (kpi.Status == KpiStatus.Retired) return Reject("kpi", $"KPI '{kpi.KpiKey}' is retired and takes no new values.");
            if (fields[1] is not { } periodText) return Reject("period", "period is required.");
            if (periodText.Length > MeasurementLimits.PeriodMaxLength) return Reject("period", "period is too long.");
            if (!KpiPeriods.TryParse(periodText.Trim(), kpi.Frequency, zone, out var periodStart, out var periodError)) return Reject("period", periodError!);
            if (periodStart > now) return Reject("period", $"Period {KpiPeriods.Label(kpi.Frequency, periodStart, zone)} has not started yet.");
            var (value, valueError) = ParseValue(fields[2], kpi.ValueType);
            if (valueError is not null) return Reject("value", valueError);
            if (fields[3]?.Length > MeasurementLimits.NoteMaxLength) return Reject("note", $"note must be at most {MeasurementLimits.NoteMaxLength} characters.");
            if (fields[4]?.Length > MeasurementLimits.ExternalIdMaxLength) return Reject("externalId", $"externalId must be at most {MeasurementLimits.ExternalIdMaxLength} characters.");
            return new ImportRow(line, kpi.Id, periodStart, value, NullIfBlank(fields[3]), NullIfBlank(fields[4]));

            ImportRow? Reject(string column, string reason)
            {
                errors.Add(line, column, reason);
                return null;
            }
        }

        private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

        internal static (decimal Value, string? Error) ParseValue(string? text, KpiValueType type)
        {
            if (string.IsNullOrWhiteSpace(text)) return (0, "value is required.");
            if (text == QuotedJsonValue) return (0, "Send the value as a JSON number (unquoted), or true/false for a boolean KPI.");
            text = text.Trim();
            if (type == KpiValueType.Boolean)
                return text.Equals("true", StringComparison.OrdinalIgnoreCase) ? (1, null)
                    : text.Equals("false", StringComparison.OrdinalIgnoreCase) ? (0, null)
                    : (0, "This KPI is boolean: true or false.");
            if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
                return (0, text is "true" or "false"
                    ? "This KPI takes numbers; true and false are for boolean KPIs."
                    : "value must be a number with a '.' decimal point and no thousands separators, e.g. -1234.5.");
            return (number, MeasurementWrites.CheckNumber(number, text));
        }
    }

    /// <summary>KPIs of an import by key or id, each looked up once with whether the caller may write it (null) or why not.</summary>
    private sealed class KpiCache(DbConnection connection, KpiAccess access)
    {
        private readonly Dictionary<string, (KpiRow?, string?)> _byReference = new(StringComparer.OrdinalIgnoreCase);

        public async ValueTask<(KpiRow? Kpi, string? Forbidden)> FindAsync(string reference, CancellationToken ct)
        {
            if (_byReference.TryGetValue(reference, out var known)) return known;
            var kpi = await KpiRow.FindAsync(connection, reference, ct);
            var forbidden = kpi is null ? null : await access.RefusalAsync(kpi.KpiKey, kpi.OwnerTeamId, connection, null, ct);
            return _byReference[reference] = (kpi, forbidden);
        }
    }
}
