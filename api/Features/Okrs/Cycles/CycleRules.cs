using FluentValidation;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>What a cycle's state and dates allow.</summary>
internal static class CycleRules
{
    /// <summary>A closed cycle is read-only until an admin reopens it; only objective scores change after close.</summary>
    public static void EnsureOpen(this CycleRow cycle, string what)
    {
        if (cycle.Status == CycleStatus.Closed)
            throw new ConflictException($"Cycle '{cycle.Name}' is closed, so {what} can no longer change; an admin can reopen the cycle.");
    }

    public static void CycleDates<T>(this AbstractValidator<T> validator, Func<T, DateOnly?> start, Func<T, DateOnly?> end)
    {
        validator.RuleFor(x => end(x)).Must((x, e) => start(x) is not { } s || e is not { } d || d >= s)
            .OverridePropertyName("endDate").WithMessage("endDate must be on or after startDate.");
        validator.RuleFor(x => end(x)).Must((x, e) => start(x) is not { } s || e is not { } d || d.DayNumber - s.DayNumber < OkrLimits.MaxCycleDays)
            .OverridePropertyName("endDate").WithMessage($"A cycle lasts at most {OkrLimits.MaxCycleDays} days.");
    }
}
