using System.Data.Common;
using Dapper;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Everything the whole-cycle reads (alignment tree, OKR–KPI matrix, evaluation, health check) start from: the cycle,
/// all its objectives with key results, progress and health, and the objectives of enclosing cycles they align to.
/// A fixed number of queries whatever the size of the cycle; a cycle above <see cref="OkrLimits.MaxObjectivesPerCycleRead"/>
/// objectives is refused (422) rather than answered slowly or in part.
/// </summary>
public sealed record CycleOkrs(CycleResponse Cycle, IReadOnlyList<ObjectiveResponse> Objectives, IReadOnlyList<ObjectiveResponse> Ancestors)
{
    // The count rides along with the cycle: one round trip decides both 404 and the size bound.
    internal const string CycleSql = $"""
        SELECT {CycleRow.Columns}, (SELECT COUNT(*) FROM Objective AS o WHERE o.CycleId = c.Id) AS ObjectiveCount
        FROM Cycle AS c
        WHERE c.Id = @Id
        """;

    // Objectives of other (enclosing) cycles that this cycle's objectives align to, up their whole chain. The depth guard
    // only bounds the walk: writes already refuse alignment loops. SQLite and SQL Server both accept WITH without RECURSIVE.
    internal const string AncestorIdsSql = """
        WITH Ancestor (Id, ParentObjectiveId, Depth) AS (
            SELECT p.Id, p.ParentObjectiveId, 1
            FROM Objective AS p
            WHERE p.CycleId <> @CycleId
              AND p.Id IN (SELECT o.ParentObjectiveId FROM Objective AS o WHERE o.CycleId = @CycleId)
            UNION ALL
            SELECT p.Id, p.ParentObjectiveId, a.Depth + 1
            FROM Objective AS p
            INNER JOIN Ancestor AS a ON p.Id = a.ParentObjectiveId
            WHERE a.Depth < 100
        )
        SELECT DISTINCT Id FROM Ancestor
        """;

    /// <summary>The cycle and its objectives; 404 for an unknown cycle, 422 above the size bound.</summary>
    public static async Task<CycleOkrs> LoadAsync(DbConnection connection, Guid cycleId, OkrReader reader, CancellationToken ct, bool withAncestors = true)
    {
        var cycle = await connection.QuerySingleOrDefaultAsync<CountedCycleRow>(new CommandDefinition(CycleSql, new { Id = cycleId }, cancellationToken: ct))
            ?? throw new NotFoundException($"Cycle '{cycleId}' was not found.");
        if (cycle.ObjectiveCount > OkrLimits.MaxObjectivesPerCycleRead)
            throw new UnprocessableException($"Cycle '{cycle.Name}' has {cycle.ObjectiveCount} objectives; whole-cycle reads answer up to "
                + $"{OkrLimits.MaxObjectivesPerCycleRead}. Page through GET /api/v1/objectives?cycleId={cycleId} instead.");

        var objectives = cycle.ObjectiveCount == 0 ? [] : await reader.CycleObjectivesAsync(connection, cycleId, ct);
        IReadOnlyList<ObjectiveResponse> ancestors = [];
        if (withAncestors && objectives.Any(o => o.ParentObjectiveId is not null))
        {
            var inCycle = objectives.Select(o => o.Id).ToHashSet();
            // Two cycles with the same dates enclose each other, so a chain may come back into this cycle.
            var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(AncestorIdsSql, new { CycleId = cycleId }, cancellationToken: ct)))
                .Where(id => !inCycle.Contains(id)).ToList();
            ancestors = await reader.ObjectivesAsync(connection, ids, ct);
        }
        return new CycleOkrs(cycle.ToResponse(), objectives, ancestors);
    }

    /// <summary>How many objectives an objective's alignment chain holds, itself included (1 for a top objective).</summary>
    public Func<Guid, int> Levels()
    {
        var parents = Objectives.Concat(Ancestors).ToDictionary(o => o.Id, o => o.ParentObjectiveId);
        var levels = new Dictionary<Guid, int>();
        return Of;

        int Of(Guid id)
        {
            if (levels.TryGetValue(id, out var known)) return known;
            // Iterative: a chain may be longer than the call stack is deep.
            var chain = new List<Guid>();
            var current = (Guid?)id;
            var above = 0;
            while (current is { } c && !levels.TryGetValue(c, out above) && chain.Count <= parents.Count)
            {
                chain.Add(c);
                current = parents.TryGetValue(c, out var parent) ? parent : null;
            }
            if (current is null) above = 0;
            for (var i = chain.Count - 1; i >= 0; i--) levels[chain[i]] = ++above;
            return levels[id];
        }
    }

    private sealed class CountedCycleRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string NameNormalized { get; init; } = "";
        public DateOnly StartDate { get; init; }
        public DateOnly EndDate { get; init; }
        public CycleStatus Status { get; init; }
        public long Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public long ObjectiveCount { get; init; }

        public CycleResponse ToResponse() => new(Id, Name, StartDate, EndDate, Status, Version, CreatedAt, UpdatedAt);
    }
}
