using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;

namespace OkrKpi.Api.Infrastructure.Import;

/// <summary>atomic (the default): all items or none; partial: store the valid items and report the rest.</summary>
public enum BatchMode { Atomic, Partial }

public static class BatchModeRules
{
    public static BatchMode Parse(string? mode) =>
        mode is null ? BatchMode.Atomic : Enum.Parse<BatchMode>(mode, ignoreCase: true);

    public static IRuleBuilderOptions<T, string?> MustBeABatchMode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.OneOf(Http.StrictJson.EnumValues<BatchMode>().Keys, StringComparer.OrdinalIgnoreCase)
            .WithMessage("mode must be atomic (all items or none) or partial (store the valid items).");
}
