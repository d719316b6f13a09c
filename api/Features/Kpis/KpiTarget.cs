using System.Text.Json.Serialization;
using FluentValidation;

namespace OkrKpi.Api.Features.Kpis;

public enum TargetComparator
{
    AtLeast,
    AtMost,
    // Strict: "defect rate less than 2 %" is not met at exactly 2.
    GreaterThan,
    LessThan,
    Between,
    // "Equals" would hide object.Equals; the wire name is still "equals".
    [JsonStringEnumMemberName("equals")] EqualTo,
}

/// <summary>
/// What "good" means for a KPI. <c>warning</c> is where at-risk turns into off-target: below <c>value</c>
/// for atLeast and greaterThan, above it for atMost and lessThan; for equals and between it lies outside the target and sets a band
/// of the same width on both sides. Boolean KPIs use equals with value 1 (true) or 0 (false).
/// </summary>
public sealed record KpiTarget(TargetComparator? Comparator, decimal? Value, decimal? Low, decimal? High, decimal? Warning);

/// <summary>Target consistency: each comparator has exactly the fields it needs, and warning sits on the correct side.</summary>
public sealed class KpiTargetValidator : AbstractValidator<KpiTarget>
{
    public KpiTargetValidator(KpiValueType? valueType)
    {
        RuleFor(t => t.Comparator).NotNull().WithMessage("comparator is required: atLeast, atMost, greaterThan, lessThan, between or equals.");

        When(t => t.Comparator is TargetComparator.AtLeast or TargetComparator.AtMost or TargetComparator.GreaterThan or TargetComparator.LessThan or TargetComparator.EqualTo, () =>
        {
            RuleFor(t => t.Value).NotNull().WithMessage("value is required for this comparator.");
            RuleFor(t => t.Low).Null().WithMessage("low is only used with between.");
            RuleFor(t => t.High).Null().WithMessage("high is only used with between.");
        });

        When(t => t.Comparator is TargetComparator.Between, () =>
        {
            RuleFor(t => t.Value).Null().WithMessage("value is not used with between; give low and high.");
            RuleFor(t => t.Low).NotNull().WithMessage("low is required for between.");
            RuleFor(t => t.High).NotNull().WithMessage("high is required for between.");
            RuleFor(t => t.Low).LessThanOrEqualTo(t => t.High).When(t => t.Low is not null && t.High is not null)
                .WithMessage("low must not be greater than high.");
        });

        When(t => t.Warning is not null, () =>
        {
            RuleFor(t => t.Warning).LessThan(t => t.Value)
                .When(t => t.Comparator is TargetComparator.AtLeast && t.Value is not null)
                .WithMessage("For atLeast, warning must be below value (values from warning up to value are at risk).");
            RuleFor(t => t.Warning).GreaterThan(t => t.Value)
                .When(t => t.Comparator is TargetComparator.AtMost && t.Value is not null)
                .WithMessage("For atMost, warning must be above value (values from value up to warning are at risk).");
            RuleFor(t => t.Warning).LessThan(t => t.Value)
                .When(t => t.Comparator is TargetComparator.GreaterThan && t.Value is not null)
                .WithMessage("For greaterThan, warning must be below value (values from warning up to value, value included, are at risk).");
            RuleFor(t => t.Warning).GreaterThan(t => t.Value)
                .When(t => t.Comparator is TargetComparator.LessThan && t.Value is not null)
                .WithMessage("For lessThan, warning must be above value (values from value, included, up to warning are at risk).");
            RuleFor(t => t.Warning).NotEqual(t => t.Value)
                .When(t => t.Comparator is TargetComparator.EqualTo && t.Value is not null)
                .WithMessage("For equals, warning must differ from value (its distance sets the at-risk band).");
            RuleFor(t => t.Warning).Must((t, warning) => warning < t.Low || warning > t.High)
                .When(t => t.Comparator is TargetComparator.Between && t.Low is not null && t.High is not null)
                .WithMessage("For between, warning must lie outside low..high (its distance sets the at-risk band).");
        });

        When(_ => valueType is KpiValueType.Boolean, () =>
        {
            RuleFor(t => t.Comparator).Equal(TargetComparator.EqualTo).When(t => t.Comparator is not null)
                .WithMessage("A boolean KPI's target uses equals.");
            RuleFor(t => t.Value).Must(v => v is null or 0m or 1m).WithMessage("A boolean KPI's target value is 1 (true) or 0 (false).");
            RuleFor(t => t.Warning).Null().WithMessage("A boolean KPI has no at-risk band.");
        });
    }
}
