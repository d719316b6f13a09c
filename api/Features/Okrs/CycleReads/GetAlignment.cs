using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// The alignment tree of a cycle: its objectives under the objectives they support, with progress, health and key
/// results at every node. Objectives of enclosing cycles that this cycle's objectives align to are included as nodes
/// marked <c>inCycle: false</c>, so a quarter's team objectives show under the year's company objective.
/// </summary>
public static class GetAlignment
{
    public sealed record Query(Guid CycleId) : IQuery<Response>;

    /// <param name="Nodes">The tree, depth first: every node follows its parent, siblings oldest first; enclosing-cycle roots come first.</param>
    public sealed record Response(CycleResponse Cycle, int ObjectiveCount, IReadOnlyList<Node> Nodes);

    /// <param name="Depth">0 for a root: an objective without a parent, or whose parent is outside this tree.</param>
    /// <param name="InCycle">False for an objective of an enclosing cycle, shown because objectives of this cycle align to it.</param>
    /// <param name="ChildCount">Nodes directly below this one in this tree (an enclosing-cycle objective lists only this cycle's side of its subtree).</param>
    /// <param name="Progress">The objective's own progress, from its key results; alignment does not roll progress up.</param>
    public sealed record Node(Guid Id, Guid CycleId, string Title, Guid? OwnerTeamId, Guid? OwnerUserId, Guid? ParentObjectiveId, ObjectiveStatus Status,
        bool InCycle, int Depth, int ChildCount, decimal? Progress, decimal ExpectedProgress, OkrHealth? Health, bool Stale, decimal? Score,
        IReadOnlyList<KeyResultSummary> KeyResults);

    public sealed record KeyResultSummary(Guid Id, string Title, KeyResultType Type, string? Unit, decimal? StartValue, decimal? TargetValue,
        decimal? CurrentValue, decimal Weight, decimal Progress, OkrHealth Health, bool Stale, Guid? KpiId, string? KpiKey);

    public static async Task<Ok<Response>> Endpoint(Guid cycleId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(cycleId), ct));

    public sealed class Handler(DbDataSource db, OkrReader reader) : IQueryHandler<Query, Response>
    {
        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var okrs = await CycleOkrs.LoadAsync(connection, query.CycleId, reader, ct);
            return new Response(okrs.Cycle, okrs.Objectives.Count, Tree(okrs));
        }
    }

    /// <summary>
    /// A flat, depth-first list rather than nested objects: an alignment chain of any length stays within JSON nesting
    /// limits, and a client draws an outline from it or rebuilds the nesting in one pass.
    /// </summary>
    internal static IReadOnlyList<Node> Tree(CycleOkrs okrs)
    {
        var all = okrs.Ancestors.Select(o => (Objective: o, InCycle: false)).Concat(okrs.Objectives.Select(o => (Objective: o, InCycle: true))).ToList();
        var ids = all.Select(n => n.Objective.Id).ToHashSet();
        var children = all.Where(n => n.Objective.ParentObjectiveId is { } p && ids.Contains(p))
            .ToLookup(n => n.Objective.ParentObjectiveId!.Value);
        var roots = all.Where(n => n.Objective.ParentObjectiveId is not { } p || !ids.Contains(p))
            .OrderBy(n => n.InCycle).ThenBy(n => n.Objective.Id).ToList();

        var nodes = new List<Node>(all.Count);
        // Iterative depth-first walk: deep chains must not exhaust the stack.
        var stack = new Stack<(Guid Id, bool InCycle, ObjectiveResponse Objective, int Depth)>();
        foreach (var root in Enumerable.Reverse(roots)) stack.Push((root.Objective.Id, root.InCycle, root.Objective, 0));
        var seen = new HashSet<Guid>();
        while (stack.TryPop(out var item))
        {
            if (!seen.Add(item.Id)) continue;
            var below = children[item.Id].OrderBy(n => n.Objective.Id).ToList();
            nodes.Add(NodeOf(item.Objective, item.InCycle, item.Depth, below.Count));
            foreach (var child in Enumerable.Reverse(below)) stack.Push((child.Objective.Id, child.InCycle, child.Objective, item.Depth + 1));
        }
        return nodes;
    }

    private static Node NodeOf(ObjectiveResponse o, bool inCycle, int depth, int childCount) =>
        new(o.Id, o.CycleId, o.Title, o.OwnerTeamId, o.OwnerUserId, o.ParentObjectiveId, o.Status, inCycle, depth, childCount,
            o.Progress, o.ExpectedProgress, o.Health, o.Stale, o.Score,
            o.KeyResults.Select(k => new KeyResultSummary(k.Id, k.Title, k.Type, k.Unit, k.StartValue, k.TargetValue, k.CurrentValue, k.Weight,
                k.Progress, k.Health, k.Stale, k.KpiId, k.KpiKey)).ToList());
}
