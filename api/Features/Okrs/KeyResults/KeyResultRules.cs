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
    public Guid? ObjectiveOwnerTeamId { get; init; }
    public Guid? ObjectiveOwnerUserId { get; init; }
    public Guid CycleId { get; init; }

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
    decimal? Weight { get; }
    Guid? KpiId { get; }
    string? KpiKey { get; }
}

internal sealed class KeyResultFieldsValidator : AbstractValidator<IKeyResultFields>
{
    public KeyResultFieldsValidator()
    {
        RuleFor(k => k.Title).RequiredText(OkrLimits.TitleMaxLength);
        RuleFor(k => k.Unit).OptionalText(OkrLimits.UnitMaxLength);
        RuleFor(k => k.StartValue).StoredExactly();
        RuleFor(k => k.TargetValue).StoredExactly();
        When(k => k.Type != KeyResultType.Milestone, () =>
        {
            RuleFor(k => k.StartValue).NotNull().WithMessage("startValue is required.");
            RuleFor(k => k.TargetValue).NotNull().WithMessage("targetValue is required.");
            RuleFor(k => k.Direction)
                .Must((k, d) => d is null || k.StartValue is not { } s || k.TargetValue is not { } t || s == t || OkrProgress.DirectionOf(s, t, null) == d)
                .WithMessage("direction contradicts startValue → targetValue; it is only needed when they are equal.");
        });
        When(k => k.Type == KeyResultType.Milestone, () =>
        {
            RuleFor(k => k.StartValue).Must(v => v is null or 0m).WithMessage("A milestone starts at 0 (not done); leave startValue out.");
            RuleFor(k => k.TargetValue).Must(v => v is null or 1m).WithMessage("A milestone's target is 1 (done); leave targetValue out.");
            RuleFor(k => k.Direction).Must(d => d is null or KeyResultDirection.Increase).WithMessage("A milestone goes from 0 (not done) to 1 (done).");
        });
        RuleFor(k => k.Weight).StoredExactly()
            .Must(w => w is null || (w > 0m && w <= OkrLimits.MaxWeight)).WithMessage($"weight must be above 0 and at most {OkrLimits.MaxWeight}.");
        RuleFor(k => k.KpiKey).OptionalText(KpiDefinition.KeyMaxLength);
        Include(new OwnerValidator());
    }
}

internal static class KeyResultRules
{
    /// <summary>Start, target and direction as stored: a milestone is 0 → 1.</summary>
    public static (decimal Start, decimal Target, KeyResultDirection Direction) Range(this IKeyResultFields fields) =>
        fields.Type == KeyResultType.Milestone
            ? (0m, 1m, KeyResultDirection.Increase)
            : (fields.StartValue!.Value, fields.TargetValue!.Value, OkrProgress.DirectionOf(fields.StartValue!.Value, fields.TargetValue!.Value, fields.Direction));

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
