using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Kpis.Formulas;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.OpenApi;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// How a computed KPI's value for one period came about: its formula, each input read (key, periods, value, how it was
/// rolled up) and the result, or why there is none (which input is missing, a division by zero, an overflow).
/// </summary>
public static class ExplainMeasurement
{
    public sealed record Query(string IdOrKey, string Period) : IQuery<Response>;

    /// <param name="Use">value, previous, or the sum or average of n periods.</param>
    /// <param name="Periods">The computed KPI's periods read for this use.</param>
    /// <param name="Value">What the use gave; null when the input had no value.</param>
    /// <param name="Values">How many of the input's own values went into it.</param>
    /// <param name="Aggregation">How the input's values were rolled up into the computed KPI's period; null when its frequency is the same.</param>
    public sealed record Input(string Kpi, string Use, IReadOnlyList<string> Periods,
        decimal? Value,
        int Values,
        KpiAggregation? Aggregation);

    /// <summary>Why a period has no value.</summary>
    /// <param name="Kpi">The input without a value (missingInput).</param>
    /// <param name="Period">The period it has no value for.</param>
    public sealed record Missing(NoValueReason Reason, string? Kpi, string? Period, string Message);

    /// <param name="Value">The result; absent when there is none (<c>noValue</c> says why).</param>
    public sealed record Response(Guid KpiId, string KpiKey, string Period, DateTimeOffset PeriodStart, string Formula,
        [property: NumberOrBoolean, System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] object? Value,
        KpiPeriodStatus Status,
        Missing? NoValue,
        IReadOnlyList<Input> Inputs);

    public static async Task<Ok<Response>> Endpoint(string idOrKey, string period, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(idOrKey, period), ct));

    public sealed class Handler(DbDataSource db, Organisation organisation) : IQueryHandler<Query, Response>
    {
        private const string InputRowsSql = """
            SELECT KpiId, PeriodStart, Value FROM KpiMeasurement
            WHERE KpiId IN @Ids AND PeriodStart >= @From AND PeriodStart < @To
            ORDER BY KpiId, PeriodStart
            """;

        private const string InputsSql = $"""
            SELECT {KpiRow.Columns} FROM Kpi AS k
            WHERE k.Id IN (SELECT InputKpiId FROM KpiInput WHERE KpiId = @KpiId)
            """;

        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            var zone = organisation.TimeZone;
            await using var connection = await db.OpenConnectionAsync(ct);
            var kpi = await KpiRow.GetAsync(connection, query.IdOrKey, ct);
            if (kpi.FedBy != KpiFedBy.Formula || KpiFormula.Parse(kpi.Formula ?? "").Formula is not { } formula)
                throw new ConflictException($"KPI '{kpi.KpiKey}' is fed by pushed or imported values; only a computed KPI's values have an explanation.");
            var periodStart = kpi.PeriodStartOf(query.Period, "period", zone);

            var inputs = (await connection.QueryAsync<KpiRow>(new CommandDefinition(InputsSql, new { KpiId = kpi.Id }, cancellationToken: ct))).ToList();
            var from = periodStart;
            for (var i = 0; i < formula.PeriodsBack; i++) from = KpiPeriods.Previous(kpi.Frequency, from, zone);
            var to = KpiPeriods.Next(kpi.Frequency, periodStart, zone);
            var rows = (await connection.QueryAsync<InputRow>(new CommandDefinition(InputRowsSql,
                new { Ids = inputs.Select(i => i.Id.ToString("D")).ToList(), From = from, To = to }, cancellationToken: ct))).ToLookup(r => r.KpiId);
            var values = new FormulaInputs(kpi.Frequency, zone);
            foreach (var input in inputs) values.Add(input, rows[input.Id]);

            var result = new FormulaEvaluator(formula, kpi.Frequency, zone, values).Evaluate(periodStart, explain: true);
            var keys = inputs.ToDictionary(i => i.KeyNormalized, i => i.KpiKey);
            return new Response(kpi.Id, kpi.KpiKey, KpiPeriods.Label(kpi.Frequency, periodStart, zone), periodStart, formula.Text,
                result.Value is { } value ? MeasurementWrites.Present(kpi.ValueType, MeasurementRules.Shortest(value).Value) : null,
                KpiStatusEngine.Evaluate(kpi.Target(), result.Value),
                result.NoValue is { } none ? new Missing(none.Reason, none.Kpi is null ? null : keys.GetValueOrDefault(none.Kpi, none.Kpi), none.Period, none.Message) : null,
                result.Inputs.Select(i => new Input(keys.GetValueOrDefault(i.Kpi, i.Kpi), i.Use, i.Periods, i.Value, i.Values, i.Aggregation)).ToList());
        }
    }
}
