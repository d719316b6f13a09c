using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// How a cycle went: each objective's score and each key result's final value and progress. After close the scores
/// are final (set to the progress at close, or edited with a note); before, each score is the current progress,
/// marked provisional.
/// </summary>
public static class GetCycleEvaluation
{
    public sealed record Query(Guid CycleId) : IQuery<Response>;

    /// <param name="Final">The cycle is closed: scores and key result values are frozen.</param>
    /// <param name="AverageScore">The unweighted mean of the objectives' scores (those that have one); provisional while the cycle is open.</param>
    public sealed record Response(CycleResponse Cycle, bool Final, decimal? AverageScore, IReadOnlyList<Objective> Objectives);

    /// <param name="Score">0.0–1.0: the final score after close, else the current progress; null for an objective without key results.</param>
    /// <param name="Provisional">True until the cycle closes.</param>
    /// <param name="ScoreNote">Why an edited score differs from the progress.</param>
    /// <param name="Progress">The progress from the key results' (final) values, to compare with an edited score.</param>
    public sealed record Objective(Guid Id, string Title, Guid? OwnerTeamId, Guid? OwnerUserId, Guid? ParentObjectiveId, ObjectiveStatus Status,
        decimal? Score, bool Provisional, string? ScoreNote, decimal? Progress, IReadOnlyList<KeyResult> KeyResults);

    /// <param name="Value">The value frozen at close; before close, the current value (null: a KPI-linked key result whose KPI has no value yet).</param>
    /// <param name="Final">The value is the one frozen at close.</param>
    public sealed record KeyResult(Guid Id, string Title, KeyResultType Type, string? Unit, decimal? StartValue, decimal? TargetValue,
        decimal? Value, bool Final, decimal Progress, decimal Weight, Guid? KpiId, string? KpiKey);

    public static async Task<Ok<Response>> Endpoint(Guid cycleId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(cycleId), ct));

    public sealed class Handler(DbDataSource db, OkrReader reader) : IQueryHandler<Query, Response>
    {
        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var okrs = await CycleOkrs.LoadAsync(connection, query.CycleId, reader, ct, withAncestors: false);
            return Evaluate(okrs);
        }
    }

    internal static Response Evaluate(CycleOkrs okrs)
    {
        var closed = okrs.Cycle.Status == CycleStatus.Closed;
        var objectives = okrs.Objectives.Select(o => new Objective(o.Id, o.Title, o.OwnerTeamId, o.OwnerUserId, o.ParentObjectiveId, o.Status,
                closed ? o.Score : o.Progress, !closed, o.ScoreNote, o.Progress,
                o.KeyResults.Select(k => new KeyResult(k.Id, k.Title, k.Type, k.Unit, k.StartValue, k.TargetValue,
                    closed ? k.FinalValue ?? k.CurrentValue : k.CurrentValue, closed && k.FinalValue is not null, k.Progress, k.Weight, k.KpiId, k.KpiKey)).ToList()))
            .ToList();
        var scores = objectives.Where(o => o.Score is not null).Select(o => o.Score!.Value).ToList();
        return new Response(okrs.Cycle, closed, scores.Count == 0 ? null : OkrProgress.Round(scores.Average()), objectives);
    }
}
