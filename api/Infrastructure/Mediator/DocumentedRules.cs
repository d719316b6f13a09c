using System.Collections;
using FluentValidation;
using FluentValidation.Validators;

namespace OkrKpi.Api.Infrastructure.Mediator;

/// <summary>
/// Rules that carry their limits as data, so the API document reads the very numbers a validator enforces
/// (Infrastructure/OpenApi/ValidationRulesDocumentation) instead of a second copy of them. A rule written with
/// <c>Must(lambda)</c> works as well but stays invisible to clients.
/// </summary>
public static class DocumentedRules
{
    /// <summary>Present and not only whitespace (documented as required, at least one character).</summary>
    public static IRuleBuilderOptions<T, TText> NotBlank<T, TText>(this IRuleBuilder<T, TText> rule) where TText : IEnumerable<char>? =>
        rule.SetValidator(new NotBlankValidator<T, TText>());

    /// <summary>At most <paramref name="max"/> characters once trimmed (documented as maxLength).</summary>
    public static IRuleBuilderOptions<T, TText> MaximumTrimmedLength<T, TText>(this IRuleBuilder<T, TText> rule, int max) where TText : IEnumerable<char>? =>
        rule.SetValidator(new MaximumTrimmedLengthValidator<T, TText>(max));

    /// <summary>One of the given names, exactly or ignoring case as <paramref name="comparer"/> says (documented as an enum of them).</summary>
    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, IEnumerable<string> values, StringComparer? comparer = null) =>
        rule.SetValidator(new OneOfValidator<T>(values, comparer ?? StringComparer.Ordinal));

    /// <summary>A list of <paramref name="min"/> to <paramref name="max"/> items when present (documented as minItems/maxItems).</summary>
    public static IRuleBuilderOptions<T, TList> ItemCount<T, TList>(this IRuleBuilder<T, TList> rule, int min, int max) where TList : IEnumerable? =>
        rule.SetValidator(new ItemCountValidator<T, TList>(min, max));
}

public sealed class NotBlankValidator<T, TText> : PropertyValidator<T, TText> where TText : IEnumerable<char>?
{
    public override string Name => "NotBlankValidator";

    public override bool IsValid(ValidationContext<T> context, TText value) => !string.IsNullOrWhiteSpace(value as string);

    protected override string GetDefaultMessageTemplate(string errorCode) => "{PropertyName} is required.";
}

public sealed class MaximumTrimmedLengthValidator<T, TText>(int max) : PropertyValidator<T, TText> where TText : IEnumerable<char>?
{
    public int Max { get; } = max;

    public override string Name => "MaximumTrimmedLengthValidator";

    public override bool IsValid(ValidationContext<T> context, TText value) => value is not string text || text.Trim().Length <= Max;

    protected override string GetDefaultMessageTemplate(string errorCode) => $"{{PropertyName}} must be at most {Max} characters.";
}

public sealed class OneOfValidator<T>(IEnumerable<string> values, StringComparer comparer) : PropertyValidator<T, string?>
{
    public IReadOnlyList<string> Values { get; } = values.ToList();

    public override string Name => "OneOfValidator";

    public override bool IsValid(ValidationContext<T> context, string? value) =>
        value is null || Values.Contains(value, comparer);

    protected override string GetDefaultMessageTemplate(string errorCode) => $"{{PropertyName}} must be one of: {string.Join(", ", Values)}.";
}

public sealed class ItemCountValidator<T, TList>(int min, int max) : PropertyValidator<T, TList> where TList : IEnumerable?
{
    public int Min { get; } = min;
    public int Max { get; } = max;

    public override string Name => "ItemCountValidator";

    public override bool IsValid(ValidationContext<T> context, TList value) =>
        value is null || value.Cast<object?>().Count() is var count && count >= Min && count <= Max;

    protected override string GetDefaultMessageTemplate(string errorCode) => $"{{PropertyName}} must hold {Min} to {Max} items.";
}
