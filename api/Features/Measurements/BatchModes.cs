using OkrKpi.Api.Infrastructure.Import;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>The answer of a measurement batch in either mode.</summary>
internal static class BatchModes
{
    /// <summary>An atomic batch with a refused item stores nothing and answers 422 with every item's result.</summary>
    public static (BatchResponse Response, int Status) Answer(IReadOnlyList<AppliedMeasurement> applied, BatchMode mode)
    {
        var committed = mode == BatchMode.Partial || applied.All(a => a.Outcome.Result != ItemResult.Rejected);
        return (BatchResponse.From(committed, applied.Select(a => a.Outcome).ToList()),
            committed ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
