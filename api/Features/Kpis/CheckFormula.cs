using System.Data.Common;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis.Formulas;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>
/// Checks a formula as a KPI form is typed, without saving anything: the KPIs it references (whether each exists, and
/// what it is) and, when it could not be saved, the problem the KPI write would answer, with the 1-based character
/// where it was found. The rules are the write's own (<see cref="FormulaDefinitions.ExamineAsync"/>).
/// </summary>
public static class CheckFormula
{
    /// <param name="Formula">The formula as typed.</param>
    /// <param name="Key">The key of the KPI the formula is for (being created or edited): it may not read itself, nor, when it exists, close a cycle through other formulas.</param>
    /// <param name="Frequency">The KPI's frequency, which every input must roll up into; without it that is not checked.</param>
    /// <param name="ValueType">The KPI's value type (a boolean KPI's formula is a condition); without it that is not checked.</param>
    public sealed record Query(string Formula, string? Key, KpiFrequency? Frequency, KpiValueType? ValueType) : IQuery<Response>;

    /// <param name="Valid">True when a KPI could be saved with this formula.</param>
    /// <param name="References">The KPIs the formula references, in order of first appearance (also while it does not parse yet); a name too long to be a KPI key is left out, and the problem names it.</param>
    /// <param name="Problem">Why it could not be saved; null when valid.</param>
    public sealed record Response(bool Valid, IReadOnlyList<Reference> References, Problem? Problem);

    /// <param name="Key">The KPI's key (as referenced, lower case, when no KPI has it).</param>
    /// <param name="Exists">Whether a KPI has this key; the other fields are null when not.</param>
    public sealed record Reference(string Key, bool Exists, string? Name, string? Unit, KpiFrequency? Frequency, KpiValueType? ValueType);

    /// <param name="Message">The reason, as the KPI write's 400 gives it for the field formula.</param>
    /// <param name="Position">The 1-based character the problem was found at (a syntax error, or the reference it concerns), when it has one.</param>
    public sealed record Problem(string Message, int? Position);

    public static async Task<Ok<Response>> Endpoint(Query query, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(query, ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Formula).NotNull().MaximumLength(KpiDefinition.FormulaMaxLength);
            RuleFor(q => q.Key).MaximumLength(KpiDefinition.KeyMaxLength);
            RuleFor(q => q.Frequency).IsInEnum();
            RuleFor(q => q.ValueType).IsInEnum();
        }
    }

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, Response>
    {
        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var self = string.IsNullOrWhiteSpace(query.Key) ? null : await KpiRow.FindAsync(connection, query.Key.Trim(), ct);
            var examined = await FormulaDefinitions.ExamineAsync(query.Formula, query.Key, self?.Id, query.Frequency, query.ValueType, connection, null, ct);
            var references = examined.Keys.Where(key => key.Length <= KpiDefinition.KeyMaxLength).Select(key => examined.Found.FirstOrDefault(k => k.KeyNormalized == key) is { } kpi
                ? new Reference(kpi.KpiKey, true, kpi.Name, kpi.Unit, kpi.Frequency, kpi.ValueType)
                : new Reference(key, false, null, null, null, null)).ToList();
            return new Response(examined.Problem is null, references, examined.Problem is { } problem ? new Problem(problem.Message, problem.Position) : null);
        }
    }
}
