using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Features.Okrs;

public enum CycleStatus { Planning, Active, Closed }

public enum ObjectiveStatus { Draft, Active, Closed, Archived }

public enum KeyResultType { Number, Percentage, Currency, Milestone }

public enum KeyResultDirection { Increase, Decrease }

public enum OkrHealth { NotStarted, OnTrack, AtRisk, OffTrack }

public enum InitiativeStatus { Planned, InProgress, Done, Dropped }

/// <summary>Where a key result's current value comes from: its check-ins, or its KPI's latest measurement.</summary>
public enum CurrentValueSource { CheckIn, Kpi }

/// <summary>The configuration section "Okrs": health thresholds and when a key result goes stale.</summary>
public sealed class OkrOptions
{
    /// <summary>onTrack while progress ≥ expected − this.</summary>
    public decimal OnTrackTolerance { get; set; } = 0.1m;

    /// <summary>atRisk while progress ≥ expected − this (and below the onTrack band); offTrack below.</summary>
    public decimal AtRiskTolerance { get; set; } = 0.25m;

    /// <summary>A key result without a check-in (or KPI measurement) for more than this many days of an active cycle is stale.</summary>
    public int StaleAfterDays { get; set; } = 14;

    /// <summary>The thresholds of the OKR health check (section "Okrs:HealthCheck").</summary>
    public OkrHealthCheckOptions HealthCheck { get; set; } = new();
}

/// <summary>When the OKR health check warns; every rule and its default is in the README's table.</summary>
public sealed class OkrHealthCheckOptions
{
    /// <summary>An owner (team or person) with more objectives than this in one cycle is spread too thin.</summary>
    public int MaxObjectivesPerOwner { get; set; } = 5;

    /// <summary>An objective with fewer key results than this is not measured well enough.</summary>
    public int MinKeyResults { get; set; } = 2;

    /// <summary>An objective with more key results than this has lost focus.</summary>
    public int MaxKeyResults { get; set; } = 5;

    /// <summary>An objective watching more KPIs than this as health metrics has lost focus.</summary>
    public int MaxLinkedKpis { get; set; } = 2;

    /// <summary>Levels of an alignment chain, the top objective included (company → department → team → person is 4).</summary>
    public int MaxAlignmentLevels { get; set; } = 4;
}

public static class OkrLimits
{
    public const int CycleNameMaxLength = 100;
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int UnitMaxLength = 32;
    public const int NoteMaxLength = 1000;
    public const int UrlMaxLength = 2000;
    public const int SearchMaxLength = 100;
    public const int MaxLinkedKpis = 20;
    public const int MaxCycleDays = 3660;
    public const decimal MaxWeight = 1000m;
    public const int MaxDecimalPlaces = 12;
    public const decimal MaxMagnitude = 1e26m;

    /// <summary>The whole-cycle reads (alignment, matrix, evaluation, health check) answer for cycles up to this size, unpaged.</summary>
    public const int MaxObjectivesPerCycleRead = 2000;
}

public static class OkrSetup
{
    public static IServiceCollection AddOkrs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OkrOptions>().Bind(configuration.GetSection("Okrs"))
            .Validate(o => o.OnTrackTolerance >= 0 && o.AtRiskTolerance >= o.OnTrackTolerance && o.AtRiskTolerance <= 1,
                "Okrs: 0 ≤ OnTrackTolerance ≤ AtRiskTolerance ≤ 1.")
            .Validate(o => o.StaleAfterDays >= 1, "Okrs: StaleAfterDays must be at least 1.")
            .Validate(o => o.HealthCheck is { MaxObjectivesPerOwner: >= 1, MinKeyResults: >= 0, MaxLinkedKpis: >= 0, MaxAlignmentLevels: >= 1 }
                && o.HealthCheck.MaxKeyResults >= o.HealthCheck.MinKeyResults,
                "Okrs:HealthCheck: MaxObjectivesPerOwner ≥ 1, 0 ≤ MinKeyResults ≤ MaxKeyResults, MaxLinkedKpis ≥ 0, MaxAlignmentLevels ≥ 1.")
            .ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<OkrOptions>>().Value);
        services.AddSingleton<OkrReader>();
        return services;
    }
}

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

/// <summary>What a team or a person owns: objectives and key results.</summary>
public interface IOwned
{
    Guid? OwnerTeamId { get; }
    Guid? OwnerUserId { get; }
}

/// <summary>At most one owner: a team or a person.</summary>
internal sealed class OwnerValidator : AbstractValidator<IOwned>
{
    public OwnerValidator() =>
        RuleFor(x => x.OwnerUserId).Null().When(x => x.OwnerTeamId is not null)
            .WithMessage("Give ownerTeamId or ownerUserId, not both: an OKR is owned by a team or by a person.");
}

/// <summary>Exactly one owner: a team or a person.</summary>
internal sealed class RequiredOwnerValidator : AbstractValidator<IOwned>
{
    public RequiredOwnerValidator()
    {
        Include(new OwnerValidator());
        RuleFor(x => x.OwnerTeamId).NotNull().When(x => x.OwnerUserId is null)
            .WithMessage("ownerTeamId or ownerUserId is required: an objective is owned by a team or by a person.");
    }
}
