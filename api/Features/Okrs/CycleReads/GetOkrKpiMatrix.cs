using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using CsvHelper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.OpenApi;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// The OKR–KPI matrix of a cycle: each objective, its key results with progress and health, and the KPIs linked to
/// the objective (health metrics) or feeding its key results, with their latest value, target and status, as the KPI
/// dashboard computes them. JSON, or a CSV download (<c>Accept: text/csv</c> or <c>?format=csv</c>).
/// </summary>
public static partial class GetOkrKpiMatrix
{
    public const string CsvMediaType = CsvAlternative.MediaType;

    /// <summary>The CSV header, in order; the README documents each column.</summary>
    public static readonly string[] CsvColumns =
    [
        "cycle", "objectiveId", "objective", "objectiveProgress", "objectiveHealth",
        "keyResultId", "keyResult", "keyResultUnit", "keyResultStart", "keyResultTarget", "keyResultCurrent", "keyResultProgress", "keyResultHealth",
        "kpiLink", "kpiKey", "kpi", "kpiUnit", "kpiLatestPeriod", "kpiLatestValue",
        "kpiTargetComparator", "kpiTargetValue", "kpiTargetLow", "kpiTargetHigh", "kpiTargetWarning", "kpiStatus",
    ];

    public sealed record Query(Guid CycleId, string? Format) : IQuery<Response>;

    public sealed record Response(CycleResponse Cycle, IReadOnlyList<Objective> Objectives);

    /// <param name="Kpis">The KPIs the objective watches as health metrics.</param>
    public sealed record Objective(Guid Id, string Title, Guid? OwnerTeamId, Guid? OwnerUserId, decimal? Progress, decimal ExpectedProgress,
        OkrHealth? Health, bool Stale, IReadOnlyList<KeyResult> KeyResults, IReadOnlyList<OkrKpiStatus> Kpis);

    /// <param name="Kpi">The KPI whose latest measurement is this key result's current value; null when it is checked in by hand.</param>
    public sealed record KeyResult(Guid Id, string Title, KeyResultType Type, string? Unit, decimal? StartValue, decimal? TargetValue, decimal? CurrentValue,
        decimal Weight, decimal Progress, OkrHealth Health, bool Stale, OkrKpiStatus? Kpi);

    public static async Task<Results<Ok<Response>, CsvDownload>> Endpoint(Guid cycleId, HttpRequest request, ISender sender, CancellationToken ct,
        string? format = null)
    {
        format ??= request.Headers.Accept.ToString().Contains(CsvMediaType, StringComparison.OrdinalIgnoreCase) ? "csv" : "json";
        var matrix = await sender.Send(new Query(cycleId, format), ct);
        return format == "csv" ? new CsvDownload([matrix], matrix.Cycle.Name) : TypedResults.Ok(matrix);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Format).OneOf(["json", "csv"]).WithMessage("format must be json or csv.");
    }

    public sealed class Handler(DbDataSource db, OkrReader reader, Organisation organisation, TimeProvider clock) : IQueryHandler<Query, Response>
    {
        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await BuildAsync(connection, query.CycleId, reader, organisation, clock.GetUtcNow(), ct);
        }
    }

    /// <summary>The matrix of one cycle; the multi-cycle matrix builds each of its cycles' with it.</summary>
    internal static async Task<Response> BuildAsync(DbConnection connection, Guid cycleId, OkrReader reader, Organisation organisation,
        DateTimeOffset now, CancellationToken ct)
    {
        var okrs = await CycleOkrs.LoadAsync(connection, cycleId, reader, ct, withAncestors: false);
        var kpis = okrs.Objectives.Count == 0 ? new Dictionary<Guid, OkrKpiStatus>()
            : await CycleKpis.LoadAsync(connection, okrs.Cycle, organisation, now, ct);
        return new Response(okrs.Cycle, okrs.Objectives.Select(o => new Objective(o.Id, o.Title, o.OwnerTeamId, o.OwnerUserId, o.Progress,
            o.ExpectedProgress, o.Health, o.Stale,
            o.KeyResults.Select(k => new KeyResult(k.Id, k.Title, k.Type, k.Unit, k.StartValue, k.TargetValue, k.CurrentValue, k.Weight,
                k.Progress, k.Health, k.Stale, k.KpiId is { } id ? kpis.GetValueOrDefault(id) : null)).ToList(),
            o.Kpis.Select(k => kpis.GetValueOrDefault(k.Id)).OfType<OkrKpiStatus>().ToList())).ToList());
    }

    /// <summary>
    /// One row per objective × key result × KPI: a key result's own KPI (kpiLink <c>keyResult</c>), a key result without
    /// one (empty KPI columns), each health-metric KPI of the objective (kpiLink <c>objective</c>, empty key result
    /// columns), and an objective with neither (one row of its own).
    /// </summary>
    public static IEnumerable<string[]> CsvRows(Response matrix)
    {
        foreach (var o in matrix.Objectives)
        {
            string[] objective = [Text(matrix.Cycle.Name), o.Id.ToString(), Text(o.Title), Number(o.Progress), Wire(o.Health)];
            foreach (var k in o.KeyResults)
                yield return [.. objective, .. KeyResultColumns(k), .. KpiColumns(k.Kpi is null ? null : "keyResult", k.Kpi)];
            foreach (var kpi in o.Kpis)
                yield return [.. objective, .. KeyResultColumns(null), .. KpiColumns("objective", kpi)];
            if (o.KeyResults.Count == 0 && o.Kpis.Count == 0)
                yield return [.. objective, .. KeyResultColumns(null), .. KpiColumns(null, null)];
        }
    }

    private static string[] KeyResultColumns(KeyResult? k) => k is null ? new string[8]
        : [k.Id.ToString(), Text(k.Title), Text(k.Unit), Number(k.StartValue), Number(k.TargetValue), Number(k.CurrentValue), Number(k.Progress), Wire<OkrHealth>(k.Health)];

    private static string[] KpiColumns(string? link, OkrKpiStatus? kpi) => kpi is null ? [link ?? "", .. new string[11]]
        : [link ?? "", Text(kpi.Key), Text(kpi.Name), Text(kpi.Unit), kpi.Latest?.Period ?? "", Value(kpi.Latest?.Value),
            Wire(kpi.Target.Comparator), Number(kpi.Target.Value), Number(kpi.Target.Low), Number(kpi.Target.High), Number(kpi.Target.Warning),
            kpi.DisplayStatus];

    private static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Value(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        decimal d => Number(d),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Wire<T>(T? value) where T : struct, Enum =>
        value is { } v ? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(v.ToString()) switch { "equalTo" => "equals", var s => s } : "";

    // Spreadsheets run a cell that starts with = + - @ or a control character as a formula: text (never numbers, whose
    // minus sign is data) gets a leading apostrophe, the OWASP advice for CSV injection.
    private static string Text(string? text) =>
        text is { Length: > 0 } && "=+-@\t\r".Contains(text[0]) ? "'" + text : text ?? "";

    /// <summary>
    /// The matrix of one or more cycles as one CSV attachment (the cycle column tells them apart); marks the endpoint so
    /// the OpenAPI document lists text/csv beside JSON.
    /// </summary>
    /// <param name="name">What the file name says after "okr-kpi-matrix-": the cycle, or the range of cycles.</param>
    public sealed class CsvDownload(IReadOnlyList<Response> matrices, string name) : IResult, IEndpointMetadataProvider
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = $"{CsvMediaType}; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"okr-kpi-matrix-{FileNamePart().Replace(name, "_")}.csv\"";
            var options = new CsvWriterOptions { Separator = ',', NewLine = "\n", Injection = CsvInjection.None };
            await using var writer = CsvWriter.Create(http.Response.Body, options, leaveOpen: true);
            await writer.WriteRecordAsync(CsvColumns, http.RequestAborted);
            foreach (var row in matrices.SelectMany(CsvRows)) await writer.WriteRecordAsync(row, http.RequestAborted);
            await writer.FlushAsync(http.RequestAborted);
        }

        public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(new CsvAlternative());
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex FileNamePart();
}
