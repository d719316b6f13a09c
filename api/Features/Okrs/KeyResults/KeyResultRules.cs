using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>The columns of a key result that writes check, with its objective's owner and its cycle.</summary>
internal sealed class KeyResultHead
{
    private const string SelectSql = """
        SELECT kr.Id, kr.ObjectiveId, kr.Type, kr.StartValue, kr.TargetValue, kr.CurrentValue, kr.OwnerTeamId, kr.OwnerUserId, kr.KpiId, kr.Version,
               kr.Comparator, kr.ChangePercent, kr.ChangeBy, kr.BaselineSource,
               o.OwnerTeamId AS ObjectiveOwnerTeamId, o.OwnerUserId AS ObjectiveOwnerUserId, o.CycleId
        FROM KeyResult AS kr
        INNER JOIN Objective AS o ON o.Id = kr.ObjectiveId
        WHERE kr.Id = @Id
        """;

    public Guid Id { get; init; }
    public Guid ObjectiveId { get; init; }
    public KeyResultType Type { get; init; }
    public decimal StartValue { get; init; }
    public decimal TargetValue { get; init; }
    public decimal? CurrentValue { get; init; }
    public Guid? OwnerTeamId { get; init; }
    public Guid? OwnerUserId { get; init; }
    public Guid? KpiId { get; init; }
    public long Version { get; init; }
    public TargetComparator? Comparator { get; init; }
    public decimal? ChangePercent { get; init; }
    public decimal? ChangeBy { get; init; }
    public BaselineSource? BaselineSource { get; init; }
    public Guid? ObjectiveOwnerTeamId { get; init; }
    public Guid? ObjectiveOwnerUserId { get; init; }
    public Guid CycleId { get; init; }

    public bool AwaitsBaseline => KeyResultRules.AwaitsBaseline(BaselineSource, StartValue, TargetValue);

    public static async Task<KeyResultHead> GetAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        await connection.QuerySingleOrDefaultAsync<KeyResultHead>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct))
        ?? throw new NotFoundException($"Key result '{id}' was not found.");

    /// <summary>A key result is written by whoever may write its own owner or its objective's owner.</summary>
    public async Task EnsureMayWriteAsync(Caller caller, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (!caller.Has(Scopes.OkrsWrite))
            throw new ForbiddenException($"Changing a key result needs the '{Scopes.OkrsWrite}' permission, which you do not have.");
        if (await caller.OwnsAsync(OwnerTeamId, OwnerUserId, connection, transaction, ct)
            || await caller.OwnsAsync(ObjectiveOwnerTeamId, ObjectiveOwnerUserId, connection, transaction, ct))
            return;
        throw new ForbiddenException("This key result and its objective are owned by others: by a team you are not a member of, or by another person.");
    }

    public void EnsureVersion(long? expected)
    {
        if (expected is { } version && version != Version)
            throw new PreconditionFailedException($"Key result '{Id}' has changed since you read it (now version {Version}).");
    }

    public async Task<CycleRow> OpenCycleAsync(DbConnection connection, DbTransaction transaction, string what, CancellationToken ct)
    {
        var cycle = await CycleRow.GetAsync(connection, CycleId, ct, transaction);
        cycle.EnsureOpen(what);
        return cycle;
    }
}

/// <summary>The fields a key result's create and update bodies share.</summary>
public interface IKeyResultFields : IOwned
{
    string? Title { get; }
    KeyResultType? Type { get; }
    string? Unit { get; }
    decimal? StartValue { get; }
    decimal? TargetValue { get; }
    KeyResultDirection? Direction { get; }
    TargetComparator? Comparator { get; }
    KeyResultChange? Change { get; }
    DateOnly? StartDate { get; }
    DateOnly? DueDate { get; }
    string? TimeframeReason { get; }
    decimal? Weight { get; }
    Guid? KpiId { get; }
    string? KpiKey { get; }
}

/// <summary>
/// A target declared as a change from the start value (the baseline): <c>percent</c> (+15 is 15 % up, −50 halves it) or
/// <c>by</c> (an amount, −2.5 is 2.5 down). Exactly one.
/// </summary>
/// <param name="BaselineSource">Where the baseline comes from: given (startValue), kpi (the linked KPI's latest value) or
/// firstCheckIn (the value of the key result's first check-in; until then it has no start or target). Left out: startValue
/// when given, else the KPI.</param>
public sealed record KeyResultChange(decimal? Percent, decimal? By, BaselineSource? BaselineSource = null);

internal sealed class KeyResultFieldsValidator : AbstractValidator<IKeyResultFields>
{
    public KeyResultFieldsValidator()
    {
        RuleFor(k => k.Title).RequiredText(OkrLimits.TitleMaxLength);
        RuleFor(k => k.Unit).OptionalText(OkrLimits.UnitMaxLength);
        RuleFor(k => k.StartValue).StoredExactly();
        RuleFor(k => k.TargetValue).StoredExactly();
        When(k => k.Type != KeyResultType.Milestone && k.Change is null, () =>
        {
            RuleFor(k => k.StartValue).NotNull().WithMessage("startValue is required.");
            RuleFor(k => k.TargetValue).NotNull().WithMessage("targetValue is required (or declare the target as a change).");
            RuleFor(k => k.Direction)
                .Must((k, d) => d is null || k.StartValue is not { } s || k.TargetValue is not { } t || s == t || OkrProgress.DirectionOf(s, t, null) == d)
                .WithMessage("direction contradicts startValue → targetValue; it is only needed when they are equal.");
            RuleFor(k => k.Comparator)
                .Must((k, c) => c is not { } comparator || k.StartValue is not { } s || k.TargetValue is not { } t || s == t
                    || OkrProgress.DirectionOf(s, t, null) == OkrProgress.DirectionOf(comparator))
                .When(k => k.Comparator is { } c && OkrProgress.KeyResultComparators.Contains(c))
                .WithMessage("comparator contradicts startValue → targetValue: atLeast and greaterThan go up, atMost and lessThan down.");
        });
        When(k => k.Change is not null, () =>
        {
            RuleFor(k => k.Type).Must(t => t != KeyResultType.Milestone).WithMessage("A milestone is done or not; it cannot change by an amount.");
            RuleFor(k => k.TargetValue).Null().WithMessage("The target follows from change; leave targetValue out.");
            RuleFor(k => k.Change!).Must(c => (c.Percent is null) != (c.By is null)).OverridePropertyName("change")
                .WithMessage("change takes exactly one of percent and by.");
            RuleFor(k => k.Change!.Percent).StoredExactly().OverridePropertyName("change.percent")
                .Must(p => p is null || (p != 0m && p >= -100m)).WithMessage("change.percent must not be 0, and not below −100 (down to nothing).");
            RuleFor(k => k.Change!.By).StoredExactly().OverridePropertyName("change.by")
                .Must(b => b is null || b != 0m).WithMessage("change.by must not be 0: a key result measures a change.");
            RuleFor(k => k.StartValue).Null().When(k => k.Change!.BaselineSource is BaselineSource.FirstCheckIn or BaselineSource.Kpi)
                .WithMessage("The baseline comes from change.baselineSource; leave startValue out.");
            RuleFor(k => k.StartValue).NotNull().When(k => k.Change!.BaselineSource is BaselineSource.Given)
                .WithMessage("startValue is required: it is the baseline the change starts from.");
            RuleFor(k => k.Comparator)
                .Must((k, c) => c is not { } comparator || KeyResultRules.ChangeDirection(k.Change!) is not { } d || OkrProgress.DirectionOf(comparator) == d)
                .When(k => k.Comparator is { } c && OkrProgress.KeyResultComparators.Contains(c))
                .WithMessage("comparator contradicts the change: atLeast and greaterThan go up, atMost and lessThan down.");
        });
        When(k => k.Type == KeyResultType.Milestone, () =>
        {
            RuleFor(k => k.StartValue).Must(v => v is null or 0m).WithMessage("A milestone starts at 0 (not done); leave startValue out.");
            RuleFor(k => k.TargetValue).Must(v => v is null or 1m).WithMessage("A milestone's target is 1 (done); leave targetValue out.");
            RuleFor(k => k.Direction).Must(d => d is null or KeyResultDirection.Increase).WithMessage("A milestone goes from 0 (not done) to 1 (done).");
            RuleFor(k => k.Comparator).Must(c => c is null or TargetComparator.AtLeast).WithMessage("A milestone is done at 1: its comparator is atLeast.");
        });
        RuleFor(k => k.Comparator).Must(c => c is null || OkrProgress.KeyResultComparators.Contains(c.Value))
            .WithMessage("A key result's comparator is atLeast, atMost, greaterThan or lessThan.");
        RuleFor(k => k.Comparator)
            .Must((k, c) => c is not { } comparator || k.Direction is not { } d || OkrProgress.DirectionOf(comparator) == d)
            .When(k => k.Comparator is { } c && OkrProgress.KeyResultComparators.Contains(c))
            .WithMessage("comparator contradicts direction; send one of them.");
        RuleFor(k => k.DueDate).GreaterThanOrEqualTo(k => k.StartDate).When(k => k.StartDate is not null && k.DueDate is not null)
            .WithMessage("dueDate must not be before startDate.");
        RuleFor(k => k.TimeframeReason).OptionalText(OkrLimits.NoteMaxLength);
        RuleFor(k => k.Weight).StoredExactly()
            .Must(w => w is null || (w > 0m && w <= OkrLimits.MaxWeight)).WithMessage($"weight must be above 0 and at most {OkrLimits.MaxWeight}.");
        RuleFor(k => k.KpiKey).OptionalText(KpiDefinition.KeyMaxLength);
        Include(new OwnerValidator());
    }
}

/// <summary>
/// Where a relative key result's baseline came from: given as startValue, the linked KPI's latest value when it was
/// defined, or its first check-in's value.
/// </summary>
public enum BaselineSource { Given, Kpi, FirstCheckIn }

/// <summary>
/// A key result's definition as stored: start, target, comparator and, for a relative one, its declaration. One waiting
/// for its first check-in's baseline (<see cref="AwaitsBaseline"/>) stores 0 → 0 until the check-in defines it.
/// </summary>
internal sealed record KeyResultDefinition(decimal Start, decimal Target, KeyResultDirection Direction, TargetComparator Comparator,
    KeyResultChange? Change, BaselineSource? BaselineSource)
{
    public bool AwaitsBaseline => KeyResultRules.AwaitsBaseline(BaselineSource, Start, Target);
}

internal static class KeyResultRules
{
    // The latest measurement is the one of the KPI's newest period, as the reads join it.
    internal const string LatestKpiValueSql = """
        SELECT m.Value FROM KpiMeasurement AS m
        WHERE m.KpiId = @KpiId AND m.PeriodStart = (SELECT MAX(x.PeriodStart) FROM KpiMeasurement AS x WHERE x.KpiId = @KpiId)
        """;

    /// <summary>
    /// Whether a relative key result still waits for the first check-in that gives its baseline: a defined one never
    /// starts where it ends (a change that leads nowhere is refused), so 0 → 0 marks the wait.
    /// </summary>
    internal static bool AwaitsBaseline(BaselineSource? source, decimal start, decimal target) =>
        source == BaselineSource.FirstCheckIn && start == 0m && target == 0m;

    /// <summary>Up (+) or down (−): the sign of a change; null for an invalid one the validator reports.</summary>
    internal static KeyResultDirection? ChangeDirection(KeyResultChange change) =>
        (change.Percent ?? change.By) switch
        {
            > 0m => KeyResultDirection.Increase,
            < 0m => KeyResultDirection.Decrease,
            _ => null,
        };

    // A key result's first check-in: the one a baseline taken from the first check-in was read from.
    internal const string FirstCheckInValueSql = """
        SELECT c.Value FROM CheckIn AS c
        WHERE c.KeyResultId = @KeyResultId AND c.Sequence = (SELECT MIN(x.Sequence) FROM CheckIn AS x WHERE x.KeyResultId = @KeyResultId)
        """;

    /// <summary>
    /// Start, target, direction and comparator as stored: a milestone is 0 → 1; a relative key result starts at its
    /// baseline (startValue, the linked KPI's latest value, or the first check-in's value) and aims at the baseline moved
    /// by the change. One whose first check-in is yet to come awaits its baseline. A baseline nobody gave is a 400 naming
    /// startValue.
    /// </summary>
    public static async Task<KeyResultDefinition> DefineAsync(DbConnection connection, DbTransaction transaction, IKeyResultFields fields, Guid? kpiId,
        Guid? keyResultId, CancellationToken ct)
    {
        if (fields.Type == KeyResultType.Milestone)
            return new(0m, 1m, KeyResultDirection.Increase, TargetComparator.AtLeast, null, null);
        if (fields.Change is not { } change)
        {
            var (start, target) = (fields.StartValue!.Value, fields.TargetValue!.Value);
            var direction = fields.Comparator is { } chosen && start == target ? OkrProgress.DirectionOf(chosen) : OkrProgress.DirectionOf(start, target, fields.Direction);
            return new(start, target, direction, OkrProgress.ComparatorOf(direction, fields.Comparator), null, null);
        }

        if (change.BaselineSource == BaselineSource.FirstCheckIn)
        {
            var first = keyResultId is { } id
                ? await connection.ExecuteScalarAsync<decimal?>(new CommandDefinition(FirstCheckInValueSql, new { KeyResultId = id }, transaction, cancellationToken: ct))
                : null;
            if (first is { } checkedIn) return FromBaseline(checkedIn, change, BaselineSource.FirstCheckIn, fields.Comparator, "change");
            var up = ChangeDirection(change) ?? KeyResultDirection.Increase;
            return new(0m, 0m, up, OkrProgress.ComparatorOf(up, fields.Comparator), change, BaselineSource.FirstCheckIn);
        }
        var (baseline, source) = fields.StartValue is { } given ? (given, BaselineSource.Given)
            : kpiId is { } kpi && await connection.ExecuteScalarAsync<decimal?>(new CommandDefinition(LatestKpiValueSql, new { KpiId = kpi }, transaction, cancellationToken: ct)) is { } latest
                ? (latest, BaselineSource.Kpi)
            : throw new ValidationException([new("startValue", kpiId is null
                ? "startValue is required: it is the baseline the change starts from (or take it from the first check-in: change.baselineSource firstCheckIn)."
                : "The linked KPI has no value yet to start from; give startValue as the baseline, or take it from the first check-in (change.baselineSource firstCheckIn).")]);
        return FromBaseline(baseline, change, source, fields.Comparator, "change");
    }

    /// <summary>
    /// A relative key result's definition once its baseline is known: the baseline moved by the change, rounded as values
    /// are stored. A change that leads nowhere (a percentage of 0) or out of range is a 400 naming <paramref name="field"/>.
    /// </summary>
    internal static KeyResultDefinition FromBaseline(decimal baseline, KeyResultChange change, BaselineSource source, TargetComparator? comparator, string field)
    {
        var moved = change.Percent is { } percent ? baseline + baseline * percent / 100m : baseline + change.By!.Value;
        var goal = Math.Round(moved, OkrLimits.MaxDecimalPlaces, MidpointRounding.AwayFromZero);
        if (goal == baseline)
            throw new ValidationException([new(field, $"A change from {baseline} by a percentage stays {baseline}; give change.by instead.")]);
        if (Math.Abs(goal) >= OkrLimits.MaxMagnitude)
            throw new ValidationException([new(field, "The target the change leads to has more than 26 integer digits.")]);
        var changeDirection = goal > baseline ? KeyResultDirection.Increase : KeyResultDirection.Decrease;
        // A percentage of a negative baseline turns the other way; a comparator chosen for the sign then gives way.
        var fitting = comparator is { } c && OkrProgress.DirectionOf(c) == changeDirection ? c : (TargetComparator?)null;
        return new(baseline, goal, changeDirection, OkrProgress.ComparatorOf(changeDirection, fitting), change, source);
    }

    /// <summary>
    /// A key result's own timeframe lies within its cycle, or reaches beyond it only with a reason (400 naming the date).
    /// </summary>
    public static void EnsureTimeframeFits(IKeyResultFields fields, CycleRow cycle)
    {
        if (!string.IsNullOrWhiteSpace(fields.TimeframeReason)) return;
        var errors = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var (field, date) in new[] { ("startDate", fields.StartDate), ("dueDate", fields.DueDate) })
            if (date is { } d && (d < cycle.StartDate || d > cycle.EndDate))
                errors.Add(new(field, $"{field} {d:yyyy-MM-dd} lies outside the cycle {cycle.Name} ({cycle.StartDate:yyyy-MM-dd} to {cycle.EndDate:yyyy-MM-dd}); give timeframeReason to reach beyond it."));
        if (errors.Count > 0) throw new ValidationException(errors);
    }

    /// <summary>The KPI named by kpiId or kpiKey (both may be given if they agree); a missing one is a 400 naming the field.</summary>
    public static async Task<Guid?> ResolveKpiAsync(DbConnection connection, DbTransaction transaction, IKeyResultFields fields, CancellationToken ct)
    {
        Guid? byId = null, byKey = null;
        if (fields.KpiId is { } id)
            byId = (await KpiRow.FindAsync(connection, id.ToString(), ct, transaction))?.Id
                ?? throw new ValidationException([new("kpiId", $"KPI '{id}' does not exist.")]);
        if (!string.IsNullOrWhiteSpace(fields.KpiKey))
        {
            if (Guid.TryParse(fields.KpiKey, out _))
                throw new ValidationException([new("kpiKey", "kpiKey takes a KPI's key; send an id as kpiId.")]);
            byKey = (await KpiRow.FindAsync(connection, fields.KpiKey.Trim(), ct, transaction))?.Id
                ?? throw new ValidationException([new("kpiKey", $"KPI '{fields.KpiKey.Trim()}' does not exist.")]);
        }
        if (byId is not null && byKey is not null && byId != byKey)
            throw new ValidationException([new("kpiKey", "kpiId and kpiKey name different KPIs; send one of them.")]);
        return byId ?? byKey;
    }

    /// <summary>A milestone's check-in is 0 (not done) or 1 (done).</summary>
    public static bool FitsType(KeyResultType type, decimal value) => type != KeyResultType.Milestone || value is 0m or 1m;
}
