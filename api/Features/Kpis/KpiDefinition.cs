using System.Text.RegularExpressions;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>The editable fields of a KPI, shared by create, update and (later) import.</summary>
public interface IKpiDefinition
{
    string Key { get; }
    string Name { get; }
    string? Description { get; }
    string? Formula { get; }
    string? Unit { get; }
    KpiValueType? ValueType { get; }
    KpiFrequency? Frequency { get; }
    KpiTarget? Target { get; }
    Guid? OwnerTeamId { get; }
    IReadOnlyList<string>? Tags { get; }
    KpiAggregation? Aggregation { get; }
    KpiFedBy? FedBy { get; }
}

public static partial class KpiDefinition
{
    public const int KeyMaxLength = 64;
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int FormulaMaxLength = 1000;
    public const int UnitMaxLength = 32;
    public const int MaxTags = 20;
    public const int TagMaxLength = 40;

    /// <summary>Keys are compared without regard to case; this is the form stored in the unique index.</summary>
    public static string NormalizeKey(string key) => key.Trim().ToLowerInvariant();

    /// <summary>Most KPIs a comma-separated key list (dashboard, export) may name.</summary>
    public const int MaxKeysInList = 200;

    /// <summary>Longest such list: that many keys of the longest kind with their commas.</summary>
    public const int KeyListMaxLength = MaxKeysInList * (KeyMaxLength + 1);

    /// <summary>"a, B,,c" -> ["a", "b", "c"]: the normalised keys of a comma-separated list, each once.</summary>
    public static IReadOnlyList<string> KeysFromList(string keys) =>
        keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(NormalizeKey).Distinct().ToList();

    public static IReadOnlyList<string> NormalizeTags(IReadOnlyList<string>? tags) =>
        (tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Keys and tags: letters and digits, words joined by '-', '_' or '.'.</summary>
    [GeneratedRegex("^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$")]
    public static partial Regex Slug();
}

public sealed class KpiDefinitionValidator : AbstractValidator<IKpiDefinition>
{
    public KpiDefinitionValidator()
    {
        RuleFor(d => d.Key).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("key is required.")
            .MaximumLength(KpiDefinition.KeyMaxLength)
            .Matches(KpiDefinition.Slug()).WithMessage("key must be a slug: letters and digits, words joined by '-', '_' or '.', e.g. defect-rate.")
            .Must(key => !Guid.TryParse(key, out _)).WithMessage("key must not look like a UUID, so it cannot be mistaken for an id.");
        RuleFor(d => d.Name).NotBlank().WithMessage("name is required.")
            .MaximumLength(KpiDefinition.NameMaxLength);
        RuleFor(d => d.Description).MaximumLength(KpiDefinition.DescriptionMaxLength);
        RuleFor(d => d.Formula).MaximumLength(KpiDefinition.FormulaMaxLength);
        RuleFor(d => d.Unit).MaximumLength(KpiDefinition.UnitMaxLength);
        RuleFor(d => d.ValueType).NotNull().WithMessage("valueType is required: number, percentage, currency or boolean.");
        RuleFor(d => d.Frequency).NotNull().WithMessage("frequency is required: hourly, daily, weekly, monthly, quarterly or yearly.");
        RuleFor(d => d.Target).NotNull().WithMessage("target is required.");
        RuleFor(d => d.Target!).SetValidator(d => new KpiTargetValidator(d.ValueType)).When(d => d.Target is not null);
        RuleFor(d => d.Tags).ItemCount(0, KpiDefinition.MaxTags)
            .WithMessage($"A KPI has at most {KpiDefinition.MaxTags} tags.");
        RuleForEach(d => d.Tags).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("A tag must not be empty.")
            .MaximumLength(KpiDefinition.TagMaxLength)
            .Matches(KpiDefinition.Slug()).WithMessage("A tag is letters and digits, words joined by '-', '_' or '.'.");
    }
}
