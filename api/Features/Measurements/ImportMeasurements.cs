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
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Features.Kpis.Formulas;
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

    internal static readonly string[] Columns = ["kpi", "period", "value", "note", "externalId"];
    private static readonly string[] Required = ["kpi", "period", "value"];

    public sealed record Command(Stream Body, ImportFormat Format, string? Mode, bool DryRun, IdempotencyKey? Idempotency) : ICommand<Idempotent<Response>>;

    /// <param name="Line">The line of the file (the CSV header is line 1).</param>
    public sealed record ImportError(long Line, string Column, string Reason);

    /// <param name="Committed">Whether the rows were stored: false for a dry run and for an atomic import with errors.</param>
    /// <param name="Created">Rows stored as new periods; in a dry run, those that would have been; 0 when an import stored nothing.</param>
    /// <param name="Errors">The first 100 errors, by line; <c>errorCount</c> has them all.</param>
    /// <param name="Rounded">Rows whose value had more digits than are stored and was rounded (half to even) to the stored value.</param>
    public sealed record Response(bool Committed, bool DryRun, BatchMode Mode, long Rows, long Created, long Updated, long Unchanged, long Rejected,
        IReadOnlyList<ImportError> Errors, long ErrorCount, long Rounded);

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

    public sealed class Handler(DbDataSource db, Dialect dialect, Organisation organisation, StreamedImport imports, IOptions<ImportOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, Caller caller, AuditLog audit, OkrReader okrs) : ICommandHandler<Command, Idempotent<Response>>
    {
        public async ValueTask<Idempotent<Response>> Handle(Command command, CancellationToken ct)
        {
            var mode = BatchModeRules.Parse(command.Mode);
            return await imports.RunAsync(command.Body, command.Idempotency, $"import:{command.Format}:{mode}:{command.DryRun}",
                async (connection, transaction, body, now) =>
                {
                    var errors = new ImportErrors(MaxReportedErrors);
                    void Duplicate(long line) => errors.Add(line, "period", MeasurementRules.DuplicateLine);
                    ImportCounts counts;
                    (long Rows, long Rounded) read;
                    bool keep;
                    var events = new KpiEvents(connection, transaction, dialect.Provider, organisation.TimeZone, okrs);
                    await using (var writer = MeasurementWriter.For(dialect.Provider, connection, transaction, now, caller.Actor))
                    {
                        var recomputation = new Recomputation(connection, transaction, writer, events, eachValue: false, organisation.TimeZone, now);
                        await writer.StartImportAsync(ct);
                        read = await PipeAsync(command, body, writer, events, recomputation, errors, Duplicate, mode, now, ct);
                        keep = !command.DryRun && (mode == BatchMode.Partial || errors.Count == 0);
                        counts = await writer.CompleteImportAsync(keep, Duplicate, ct);
                        keep &= mode == BatchMode.Partial || errors.Count == 0;
                        // The computed KPIs that the imported values feed change with them, before the import commits.
                        if (keep) await recomputation.RunAsync(ct);
                    }
                    if (keep) await events.AppendAsync(now, ct);
                    // A dry run tells what the import would do; an import that stored nothing reports nothing stored.
                    if (!keep && !command.DryRun) counts = new ImportCounts(0, 0, 0, counts.Duplicates);
                    var response = new Response(keep, command.DryRun, mode, read.Rows, counts.Created, counts.Updated, counts.Unchanged, errors.Count,
                        errors.First, errors.Count, read.Rounded);
                    if (keep && counts.Created + counts.Updated > 0)
                        await audit.RecordAsync(connection, transaction, MeasurementAudit.ImportEntity, Guid.CreateVersion7(now), "import", null, new
                        {
                            Format = command.Format, Mode = mode, read.Rows, counts.Created, counts.Updated, counts.Unchanged, Rejected = errors.Count,
                        }, now, ct);
                    return (response, keep);
                }, ct);
        }

        /// <summary>
        /// A reader task parses and checks lines into a small bounded channel while this one writes, so parsing and
        /// the database's inserts overlap on two cores, and memory holds a few chunks whatever the file's size.
        /// </summary>
        private async Task<(long Rows, long Rounded)> PipeAsync(Command command, Stream body, IMeasurementWriter writer, KpiEvents events, Recomputation recomputation, ImportErrors errors,
            Action<long> duplicate, BatchMode mode, DateTimeOffset now, CancellationToken ct)
        {
            var channel = Channel.CreateBounded<List<AcceptedMeasurement>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
            long rows = 0, rounded = 0;
            var rules = new MeasurementRules(organisation.TimeZone, now);
            // Stops the reader when the writer fails (a full disk, say), so that it does not wait on a full channel for ever.
            using var writerFailed = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reader = Task.Run(async () =>
            {
                try
                {
                    var stop = writerFailed.Token;
                    await using var lookup = await db.OpenConnectionAsync(stop);
                    var kpis = new KpiCache(lookup, new KpiAccess(caller, Scopes.MeasurementsWrite));
                    var chunk = new List<AcceptedMeasurement>(ChunkRows);
                    await foreach (var item in Items(command, body, errors, stop))
                    {
                        rows++;
                        if (item is null) continue;   // unreadable, already reported
                        var (kpi, forbidden) = string.IsNullOrWhiteSpace(item.Kpi) ? (null, null) : await kpis.FindAsync(item.Kpi.Trim(), stop);
                        switch (rules.Check(item, kpi, forbidden, imported: true))
                        {
                            case AcceptedMeasurement accepted:
                                if (accepted.Value.Rounded) rounded++;
                                chunk.Add(accepted);
                                break;
                            case RefusedMeasurement refused:
                                errors.Add(refused.Position, refused.Field, refused.Reason);
                                break;
                        }
                        if (chunk.Count == ChunkRows)
                        {
                            await channel.Writer.WriteAsync(chunk, stop);
                            chunk = new List<AcceptedMeasurement>(ChunkRows);
                        }
                    }
                    if (chunk.Count > 0) await channel.Writer.WriteAsync(chunk, stop);
                    channel.Writer.Complete();
                }
                catch (Exception e)
                {
                    channel.Writer.Complete(e);
                }
            }, ct);

            try
            {
                await foreach (var chunk in channel.Reader.ReadAllAsync(ct))
                {
                    // An atomic import that has failed keeps reading only to report every error; it writes no more.
                    if (command.DryRun is false && mode == BatchMode.Atomic && errors.Count > 0) continue;
                    foreach (var row in chunk)
                    {
                        await events.WatchAsync(row.Kpi, ct);
                        await writer.ImportAsync(row, duplicate, ct);
                        if (row.Kpi.FeedsOthers) recomputation.Changed(row.Kpi.Id, row.PeriodStart);
                    }
                }
            }
            catch
            {
                await writerFailed.CancelAsync();
                await reader;   // it ends on the cancellation, and reports it to the channel no one reads any more
                throw;
            }
            await reader;
            await channel.Reader.Completion;
            return (rows, rounded);
        }

        /// <summary>The lines of the body as items, or null for a line that could not be read (its error reported).</summary>
        private IAsyncEnumerable<MeasurementItem?> Items(Command command, Stream body, ImportErrors errors, CancellationToken ct) =>
            command.Format == ImportFormat.Csv
                ? CsvItems(body, errors, ct)
                : NdjsonItems(body, errors, ct);

        private async IAsyncEnumerable<MeasurementItem?> CsvItems(Stream body, ImportErrors errors, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var record in ImportFormats.ReadCsvAsync(body, Columns, Required, options.Value.MaxLineBytes, ct))
            {
                if (record.Problem is not null)
                {
                    errors.Add(record.Line, "line", record.Problem);
                    yield return null;
                    continue;
                }
                var f = record.Fields;
                yield return new MeasurementItem(record.Line, f[0], f[1], RawValue.FromText(f[2]), f[3], f[4], MeasurementSource.Import);
            }
        }

        // NDJSON values keep their JSON kind: a quoted number is refused as in every JSON endpoint.
        private async IAsyncEnumerable<MeasurementItem?> NdjsonItems(Stream body, ImportErrors errors, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
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
                    yield return null;
                    continue;
                }
                yield return new MeasurementItem(line, row.Kpi, row.Period, RawValue.FromJson(row.Value), row.Note, row.ExternalId, MeasurementSource.Import);
            }
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

/// <summary>The first errors of an import (line, column, reason) and how many there were in all.</summary>
internal sealed class ImportErrors(int keep)
{
    // Kept by line, not by arrival: the writer reports a repeated period after the reader has run ahead with errors
    // of later lines. A max-heap on the line lets a lower line push out the highest one kept.
    private readonly PriorityQueue<ImportMeasurements.ImportError, long> _first = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));
    private long _count;

    public long Count => Interlocked.Read(ref _count);
    public IReadOnlyList<ImportMeasurements.ImportError> First { get { lock (_first) return _first.UnorderedItems.Select(i => i.Element).OrderBy(e => e.Line).ToList(); } }

    public void Add(long line, string column, string reason)
    {
        Interlocked.Increment(ref _count);
        lock (_first)
        {
            if (_first.Count < keep) _first.Enqueue(new(line, column, reason), line);
            else if (_first.TryPeek(out _, out var highest) && line < highest) _first.EnqueueDequeue(new(line, column, reason), line);
        }
    }
}
