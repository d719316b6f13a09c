using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Validation rules every OKR body shares: exactly stored numbers and trimmed, bounded texts.</summary>
internal static class OkrRules
{
    /// <summary>A number SQL Server's DECIMAL(38,12) and SQLite's text both keep exactly.</summary>
    public static IRuleBuilderOptions<T, decimal?> StoredExactly<T>(this IRuleBuilder<T, decimal?> rule) =>
        rule.Must(v => v is not { } d || (Math.Abs(d) < OkrLimits.MaxMagnitude && decimal.Round(d, OkrLimits.MaxDecimalPlaces) == d))
            .WithMessage("{PropertyName} must have at most 26 integer digits and 12 decimals.");

    public static IRuleBuilderOptions<T, string?> RequiredText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.NotBlank().MaximumTrimmedLength(maxLength);

    public static IRuleBuilderOptions<T, string?> OptionalText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumTrimmedLength(maxLength);

    public static string? TrimToNull(this string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
