using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>
/// Sets up or updates a KPI catalogue from one CSV or NDJSON upload, matched by key: new keys are created, known
/// ones updated (or left unchanged). Every row obeys the rules of create and update, ownership included: an editor's
/// row for a KPI of another team is an error of that line. Atomic unless mode=partial. Each KPI created or updated
/// leaves its own audit entry, as through the single endpoints: catalogues are hundreds of rows, not millions.
/// </summary>
public static class ImportKpis
{
    public const int MaxReportedErrors = 100;

    /// <summary>CSV columns; the target is flattened (comparator, target, low, high, warning) and tags are separated by '|' or ';'.</summary>
    internal static readonly string[] Columns =
        ["key", "name", "description", "formula", "unit", "valueType", "frequency", "comparator", "target", "low", "high", "warning", "ownerTeamId", "tags", "aggregation"];
    private static readonly string[] Required = ["key", "name", "valueType", "frequency", "comparator"];

    public sealed record Command(Stream Body, ImportFormat Format, string? Mode, bool DryRun, IdempotencyKey? Idempotency) : ICommand<Idempotent<Response>>;

    public sealed record ImportError(long Line, string Column, string Reason);

    public sealed record Response(bool Committed, bool DryRun, BatchMode Mode, long Rows, long Created, long Updated, long Unchanged, long Rejected,
        IReadOnlyList<ImportError> Errors, long ErrorCount);

    private sealed record Definition(string Key, string Name, string? Description, string? Formula, string? Unit, KpiValueType? ValueType,
        KpiFrequency? Frequency, KpiTarget? Target, Guid? OwnerTeamId, IReadOnlyList<string>? Tags, KpiAggregation? Aggregation = null,
        KpiFedBy? FedBy = null) : IKpiDefinition;

    public static async Task<Results<Ok<Response>, UnprocessableReport<Response>>> Endpoint(HttpRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, CancellationToken ct, string? mode = null, bool dryRun = false)
    {
        var format = ImportFormats.Of(request);
        var (response, replayed) = await sender.Send(new Command(request.Body, format, mode, dryRun, IdempotencyKey.ForStream(idempotencyKey)), ct);
        if (replayed) request.HttpContext.Response.Headers[IdempotencyKey.ReplayedHeader] = "true";
        return response.Committed || (response.DryRun && response.ErrorCount == 0) ? TypedResults.Ok(response) : new UnprocessableReport<Response>(response, ImportReports.Refusal(response.DryRun, response.Rejected));
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Mode).MustBeABatchMode();
    }

    public sealed class Handler(StreamedImport imports, IOptions<ImportOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        Caller caller, AuditLog audit) : ICommandHandler<Command, Idempotent<Response>>
    {
        private const string TeamExistsSql = "SELECT COUNT(*) FROM Team WHERE Id = @Id";

        private static readonly KpiDefinitionValidator Rules = new();

        // A formula is checked against the other KPIs and its values computed when it is saved: one KPI at a time.
        internal const string FormulaOnlyOneByOne =
            "Computed KPIs, and the aggregation of a KPI that feeds one, change with PUT or PATCH /api/v1/kpis/{key}: the formula's values are recomputed then.";

        public async ValueTask<Idempotent<Response>> Handle(Command command, CancellationToken ct)
        {
            var mode = BatchModeRules.Parse(command.Mode);
            return await imports.RunAsync(command.Body, command.Idempotency, $"kpi-import:{command.Format}:{mode}:{command.DryRun}",
                (connection, transaction, body, now) => ImportAsync(command, mode, connection, transaction, body, now, ct), ct);
        }

        private async Task<(Response, bool)> ImportAsync(Command command, BatchMode mode, DbConnection connection, DbTransaction transaction,
            Stream body, DateTimeOffset now, CancellationToken ct)
        {
            var serializer = json.Value.SerializerOptions;
            var errors = new List<ImportError>();
            var errorCount = 0L;
            long rows = 0, created = 0, updated = 0, unchanged = 0;
            var seenKeys = new Dictionary<string, long>();
            var teams = new Dictionary<Guid, bool>();
            var access = new KpiAccess(caller, Scopes.KpisWrite);

            await foreach (var (line, definition, parseErrors) in Definitions(command.Format, body, serializer, ct))
            {
                rows++;
                var rowErrors = parseErrors ?? await CheckAsync(definition!, connection, transaction, teams, ct);
                if (rowErrors.Count == 0 && seenKeys.TryGetValue(KpiDefinition.NormalizeKey(definition!.Key), out var firstLine))
                    rowErrors = [("key", $"Key '{definition.Key}' already appears on line {firstLine} of this import.")];
                if (rowErrors.Count > 0)
                {
                    errorCount++;
                    foreach (var (column, reason) in rowErrors.Take(1))
                        if (errors.Count < MaxReportedErrors) errors.Add(new ImportError(line, column, reason));
                    continue;
                }
                seenKeys[KpiDefinition.NormalizeKey(definition!.Key)] = line;

                var current = await KpiRow.FindAsync(connection, definition.Key.Trim(), ct, transaction);
                if (definition.FedBy == KpiFedBy.Formula || current?.FedBy == KpiFedBy.Formula || current is { FeedsOthers: true } && current.Aggregation != (definition.Aggregation ?? KpiAggregation.Last))
                {
                    errorCount++;
                    if (errors.Count < MaxReportedErrors) errors.Add(new ImportError(line, current?.FedBy == KpiFedBy.Formula || definition.FedBy == KpiFedBy.Formula ? "fedBy" : "aggregation", FormulaOnlyOneByOne));
                    continue;
                }
                if (await RefusalAsync(access, current, definition, connection, transaction, ct) is { } refused)
                {
                    errorCount++;
                    if (errors.Count < MaxReportedErrors) errors.Add(new ImportError(line, refused.Column, refused.Reason));
                    continue;
                }
                if (current is null)
                {
                    var id = Guid.CreateVersion7();
                    await WriteAsync(CreateKpi.Handler.InsertSql, id, definition, KpiStatus.Active, now, connection, transaction, ct);
                    await audit.RecordAsync(connection, transaction, KpiAudit.Entity, id, "create", null,
                        await KpiRow.LoadAsync(connection, id.ToString(), ct, transaction), now, ct);
                    created++;
                }
                else if (UpdateKpi.Handler.FrozenChange(current, definition) is { } frozen)
                {
                    errorCount++;
                    if (errors.Count < MaxReportedErrors) errors.Add(new ImportError(line, "key", frozen));
                }
                else if (await ExistingAsync(current, connection, transaction, ct) is var existing && Same(existing, definition))
                {
                    unchanged++;
                }
                else
                {
                    await connection.ExecuteAsync(new CommandDefinition(UpdateKpi.Handler.DeleteTagsSql, new { current.Id }, transaction, cancellationToken: ct));
                    await WriteAsync(UpdateKpi.Handler.UpdateSql, current.Id, definition, current.Status, now, connection, transaction, ct, current.Version);
                    await audit.RecordAsync(connection, transaction, KpiAudit.Entity, current.Id, "update", existing,
                        await KpiRow.LoadAsync(connection, current.Id.ToString(), ct, transaction), now, ct);
                    updated++;
                }
            }

            var keep = !command.DryRun && (mode == BatchMode.Partial || errorCount == 0);
            return (new Response(keep, command.DryRun, mode, rows, created, updated, unchanged, errorCount, errors.OrderBy(e => e.Line).ToList(), errorCount), keep);
        }

        /// <summary>Inserts, or with the version read in this transaction updates (guarded like UpdateKpi), a KPI and its tags.</summary>
        private static async Task WriteAsync(string sql, Guid id, IKpiDefinition definition, KpiStatus status, DateTimeOffset now,
            DbConnection connection, DbTransaction transaction, CancellationToken ct, long? version = null)
        {
            var columns = new DynamicParameters(KpiColumns.From(id, definition, status, now));
            if (version is { } read) columns.Add("Version", read);
            var written = await connection.ExecuteAsync(new CommandDefinition(sql, columns, transaction, cancellationToken: ct));
            if (version is not null) ETags.EnsureUpdated(written, $"KPI '{definition.Key.Trim()}'");
            var tags = KpiDefinition.NormalizeTags(definition.Tags).Select(tag => new { KpiId = id, Tag = tag });
            await connection.ExecuteAsync(new CommandDefinition(CreateKpi.Handler.InsertTagSql, tags, transaction, cancellationToken: ct));
        }

        /// <summary>Why this caller may not write the row's KPI (as it is, and as the row would make it), with the column to blame.</summary>
        private async Task<(string Column, string Reason)?> RefusalAsync(KpiAccess access, KpiRow? current, IKpiDefinition definition,
            DbConnection connection, DbTransaction transaction, CancellationToken ct)
        {
            if (access.Unrestricted) return null;
            if (current is not null && await access.RefusalAsync(current.KpiKey, current.OwnerTeamId, connection, transaction, ct) is { } asItIs)
                return ("key", asItIs);
            if (await access.RefusalAsync(definition.Key, definition.OwnerTeamId, connection, transaction, ct) is { } asItWouldBe)
                return (caller.MayUseKpi(KpiDefinition.NormalizeKey(definition.Key)) ? "ownerTeamId" : "key", asItWouldBe);
            return null;
        }

        private static async Task<KpiResponse> ExistingAsync(KpiRow current, DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
            current.ToResponse((await KpiRow.TagsAsync(connection, [current.Id], ct, transaction))[current.Id].ToList());

        private static bool Same(KpiResponse existing, IKpiDefinition definition)
        {
            return existing.Key == definition.Key.Trim() && existing.Name == definition.Name.Trim()
                && existing.Description == definition.Description?.Trim() && existing.Formula == definition.Formula?.Trim()
                && existing.Unit == definition.Unit?.Trim() && existing.ValueType == definition.ValueType && existing.Frequency == definition.Frequency
                && existing.Target == definition.Target && existing.OwnerTeamId == definition.OwnerTeamId
                && existing.Tags.SequenceEqual(KpiDefinition.NormalizeTags(definition.Tags))
                && existing.Aggregation == (definition.Aggregation ?? KpiAggregation.Last);
        }

        private static async Task<IReadOnlyList<(string, string)>> CheckAsync(IKpiDefinition definition, DbConnection connection, DbTransaction transaction,
            Dictionary<Guid, bool> teams, CancellationToken ct)
        {
            var result = await Rules.ValidateAsync(definition, ct);
            if (!result.IsValid)
                return result.Errors.Select(e => (Column(e.PropertyName), e.ErrorMessage)).ToList();
            if (definition.OwnerTeamId is { } team)
            {
                if (!teams.TryGetValue(team, out var exists))
                    teams[team] = exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(TeamExistsSql, new { Id = team }, transaction, cancellationToken: ct)) > 0;
                if (!exists) return [("ownerTeamId", $"Team '{team}' does not exist.")];
            }
            return [];
        }

        // The CSV flattens the target: Target.Value is the "target" column, Target.Low the "low" column, and so on.
        private static string Column(string property) => ProblemDetailsExceptionHandler.FieldName(property) switch
        {
            "target.comparator" => "comparator",
            "target.value" or "target" => "target",
            var nested when nested.StartsWith("target.") => nested["target.".Length..],
            var field when field.StartsWith("tags[") => "tags",
            var field => field,
        };

        private async IAsyncEnumerable<(long Line, IKpiDefinition? Definition, IReadOnlyList<(string, string)>? Errors)> Definitions(
            ImportFormat format, Stream body, JsonSerializerOptions serializer, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            if (format == ImportFormat.Csv)
            {
                await foreach (var record in ImportFormats.ReadCsvAsync(body, Columns, Required, options.Value.MaxLineBytes, ct))
                    yield return record.Problem is { } problem ? (record.Line, null, [("line", problem)]) : FromCsv(record);
                yield break;
            }
            await foreach (var (line, bytes) in ImportFormats.ReadNdjsonAsync(body, options.Value.MaxLineBytes, ct))
            {
                Definition? definition = null;
                (string, string)? error = null;
                try
                {
                    definition = JsonSerializer.Deserialize<Definition>(bytes, serializer);
                }
                catch (JsonException e)
                {
                    var (field, reason) = RequestReadErrors.Describe(e, typeof(Definition));
                    error = (field, reason);
                }
                yield return definition is null
                    ? (line, null, [error ?? ("line", "Each line must be a JSON object shaped like the body of POST /api/v1/kpis.")])
                    : (line, definition, null);
            }
        }

        private static (long, IKpiDefinition?, IReadOnlyList<(string, string)>?) FromCsv(ImportRecord record)
        {
            var f = record.Fields;
            var errors = new List<(string, string)>();
            var valueType = ParseEnum<KpiValueType>(f[5], "valueType", errors);
            var frequency = ParseEnum<KpiFrequency>(f[6], "frequency", errors);
            var comparator = ParseEnum<TargetComparator>(f[7], "comparator", errors);
            var target = new KpiTarget(comparator, Number(f[8], "target", errors), Number(f[9], "low", errors), Number(f[10], "high", errors), Number(f[11], "warning", errors));
            Guid? owner = null;
            if (f[12] is { } ownerText)
            {
                if (Guid.TryParse(ownerText, out var id)) owner = id;
                else errors.Add(("ownerTeamId", "ownerTeamId must be a team id (UUID)."));
            }
            var tags = f[13]?.Split(['|', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var aggregation = ParseEnum<KpiAggregation>(f[14], "aggregation", errors);
            if (errors.Count > 0) return (record.Line, null, errors);
            return (record.Line, new Definition(f[0] ?? "", f[1] ?? "", f[2], f[3], f[4], valueType, frequency, target, owner, tags, aggregation), null);
        }

        private static TEnum? ParseEnum<TEnum>(string? text, string column, List<(string, string)> errors) where TEnum : struct, Enum
        {
            if (text is null) return null;
            var names = StrictJson.EnumValues<TEnum>();
            if (names.TryGetValue(text.Trim(), out var value)) return value;
            errors.Add((column, $"{column} must be one of: {string.Join(", ", names.Keys)}."));
            return null;
        }

        private static decimal? Number(string? text, string column, List<(string, string)> errors)
        {
            if (text is null) return null;
            if (decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
                return number;
            errors.Add((column, $"{column} must be a number with a '.' decimal point, e.g. 2.5."));
            return null;
        }
    }
}
