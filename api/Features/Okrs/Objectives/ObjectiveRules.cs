using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>The columns of an objective that writes check: who owns it, where it sits, which version it is.</summary>
internal sealed class ObjectiveHead
{
    private const string SelectSql = """
        SELECT o.Id, o.CycleId, o.OwnerTeamId, o.OwnerUserId, o.ParentObjectiveId, o.Version
        FROM Objective AS o
        WHERE o.Id = @Id
        """;

    public Guid Id { get; init; }
    public Guid CycleId { get; init; }
    public Guid? OwnerTeamId { get; init; }
    public Guid? OwnerUserId { get; init; }
    public Guid? ParentObjectiveId { get; init; }
    public long Version { get; init; }

    public static async Task<ObjectiveHead> GetAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        await connection.QuerySingleOrDefaultAsync<ObjectiveHead>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct))
        ?? throw new NotFoundException($"Objective '{id}' was not found.");

    public void EnsureVersion(long? expected)
    {
        if (expected is { } version && version != Version)
            throw new PreconditionFailedException($"Objective '{Id}' has changed since you read it (now version {Version}).");
    }

    public Task EnsureMayWriteAsync(Caller caller, DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        caller.EnsureMayWriteAsync(Scopes.OkrsWrite, OwnerTeamId, OwnerUserId, "this objective", connection, transaction, ct);
}

/// <summary>Checks shared by the slices that write objectives and key results.</summary>
internal static class ObjectiveRules
{
    private const string TeamExistsSql = "SELECT COUNT(*) FROM Team WHERE Id = @Id";
    private const string UserExistsSql = "SELECT COUNT(*) FROM AppUser WHERE Id = @Id";
    private const string KpiExistsSql = "SELECT COUNT(*) FROM Kpi WHERE Id = @Id";
    private const string ParentCycleSql = "SELECT CycleId FROM Objective WHERE Id = @Id";

    // Walks up from the new parent; meeting the objective itself on the way means the alignment closes a loop.
    // SQLite and SQL Server both accept a recursive CTE without the RECURSIVE keyword.
    private const string WouldLoopSql = """
        WITH Ancestor (Id, ParentObjectiveId) AS (
            SELECT Id, ParentObjectiveId FROM Objective WHERE Id = @ParentObjectiveId
            UNION ALL
            SELECT o.Id, o.ParentObjectiveId FROM Objective AS o INNER JOIN Ancestor AS a ON o.Id = a.ParentObjectiveId
        )
        SELECT COUNT(*) FROM Ancestor WHERE Id = @ObjectiveId
        """;

    internal const string DeleteKpisSql = "DELETE FROM ObjectiveKpi WHERE ObjectiveId = @ObjectiveId";
    internal const string InsertKpiSql = "INSERT INTO ObjectiveKpi (ObjectiveId, KpiId) VALUES (@ObjectiveId, @KpiId)";

    /// <summary>The named team or person must exist; a missing one is a 400 naming the field.</summary>
    public static async Task EnsureOwnerExistsAsync(DbConnection connection, DbTransaction transaction, Guid? teamId, Guid? userId, CancellationToken ct)
    {
        if (teamId is { } team && await CountAsync(connection, transaction, TeamExistsSql, team, ct) == 0)
            throw new ValidationException([new("ownerTeamId", $"Team '{team}' does not exist.")]);
        if (userId is { } user && await CountAsync(connection, transaction, UserExistsSql, user, ct) == 0)
            throw new ValidationException([new("ownerUserId", $"User '{user}' does not exist.")]);
    }

    /// <summary>
    /// The parent must exist and sit in the same cycle or in one whose dates enclose this one's (400 naming
    /// parentObjectiveId); an alignment that would make a loop is a 409.
    /// </summary>
    public static async Task EnsureParentAsync(DbConnection connection, DbTransaction transaction, Guid? objectiveId, Guid? parentId, CycleRow cycle, CancellationToken ct)
    {
        if (parentId is not { } parent) return;
        if (parent == objectiveId)
            throw new ConflictException("An objective cannot be aligned to itself.");
        var parentCycleId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(ParentCycleSql, new { Id = parent }, transaction, cancellationToken: ct))
            ?? throw new ValidationException([new("parentObjectiveId", $"Objective '{parent}' does not exist.")]);
        var parentCycle = await CycleRow.GetAsync(connection, parentCycleId, ct, transaction);
        if (!parentCycle.Encloses(cycle))
            throw new ValidationException([new("parentObjectiveId",
                $"Objective '{parent}' is in cycle '{parentCycle.Name}', which does not enclose cycle '{cycle.Name}': align to an objective of the same cycle or of one whose dates contain it.")]);
        if (objectiveId is { } id && await connection.ExecuteScalarAsync<long>(new CommandDefinition(WouldLoopSql, new { ParentObjectiveId = parent, ObjectiveId = id }, transaction, cancellationToken: ct)) > 0)
            throw new ConflictException($"Objective '{parent}' is aligned (directly or further down) to objective '{id}'; aligning there would make a loop.");
    }

    public static async Task ReplaceKpisAsync(DbConnection connection, DbTransaction transaction, Guid objectiveId, IReadOnlyList<Guid>? kpiIds, bool replacing, CancellationToken ct)
    {
        var ids = (kpiIds ?? []).Distinct().ToList();
        for (var i = 0; i < ids.Count; i++)
            if (await CountAsync(connection, transaction, KpiExistsSql, ids[i], ct) == 0)
                throw new ValidationException([new($"kpiIds[{(kpiIds ?? []).ToList().IndexOf(ids[i])}]", $"KPI '{ids[i]}' does not exist.")]);
        if (replacing)
            await connection.ExecuteAsync(new CommandDefinition(DeleteKpisSql, new { ObjectiveId = objectiveId }, transaction, cancellationToken: ct));
        if (ids.Count > 0)
            await connection.ExecuteAsync(new CommandDefinition(InsertKpiSql, ids.Select(k => new { ObjectiveId = objectiveId, KpiId = k }), transaction, cancellationToken: ct));
    }

    private static Task<long> CountAsync(DbConnection connection, DbTransaction transaction, string sql, Guid id, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { Id = id }, transaction, cancellationToken: ct));
}

/// <summary>The fields an objective's create and update bodies share.</summary>
public interface IObjectiveFields : IOwned
{
    string? Title { get; }
    string? Description { get; }
    Guid? ParentObjectiveId { get; }
    ObjectiveStatus? Status { get; }
    IReadOnlyList<Guid>? KpiIds { get; }
}

internal sealed class ObjectiveFieldsValidator : AbstractValidator<IObjectiveFields>
{
    public ObjectiveFieldsValidator()
    {
        RuleFor(x => x.Title).RequiredText(OkrLimits.TitleMaxLength);
        RuleFor(x => x.Description).OptionalText(OkrLimits.DescriptionMaxLength);
        RuleFor(x => x.KpiIds).ItemCount(0, OkrLimits.MaxLinkedKpis)
            .WithMessage($"kpiIds links at most {OkrLimits.MaxLinkedKpis} KPIs.");
        Include(new RequiredOwnerValidator());
    }
}
