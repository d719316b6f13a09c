using FluentValidation;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>mode=atomic (default: all items or none) or mode=partial (store the valid items, report the rest).</summary>
internal static class BatchModes
{
    public static BatchMode Parse(string? mode) =>
        mode is null ? BatchMode.Atomic : Enum.Parse<BatchMode>(mode, ignoreCase: true);

    public static IRuleBuilderOptions<T, string?> MustBeABatchMode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(mode => mode is null || mode.Equals("atomic", StringComparison.OrdinalIgnoreCase) || mode.Equals("partial", StringComparison.OrdinalIgnoreCase))
            .WithMessage("mode must be atomic (all items or none) or partial (store the valid items).");

    /// <summary>An atomic batch with a refused item stores nothing and answers 422 with every item's result.</summary>
    public static (BatchResponse Response, int Status) Answer(IReadOnlyList<AppliedMeasurement> applied, BatchMode mode)
    {
        var committed = mode == BatchMode.Partial || applied.All(a => a.Outcome.Result != ItemResult.Rejected);
        return (BatchResponse.From(committed, applied.Select(a => a.Outcome).ToList()),
            committed ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
