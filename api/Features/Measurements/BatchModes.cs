using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Idempotency;
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

    public static IRuleBuilderOptions<T, IReadOnlyList<TItem>?> MustBeABatch<T, TItem>(this IRuleBuilder<T, IReadOnlyList<TItem>?> rule, string itemShape) =>
        rule.NotNull().WithMessage($"items is required: an array of {itemShape}.")
            .ItemCount(1, MeasurementLimits.MaxBatchItems)
            .WithMessage($"items must hold 1 to {MeasurementLimits.MaxBatchItems} values.");

    /// <summary>200 with every item's result when stored, 422 with them when an atomic batch was refused.</summary>
    public static Results<Ok<BatchResponse>, UnprocessableEntity<BatchResponse>> Reply(Idempotent<BatchResponse> answer, HttpResponse http)
    {
        if (answer.Replayed) http.Headers[IdempotencyKey.ReplayedHeader] = "true";
        return answer.Response.Committed ? TypedResults.Ok(answer.Response) : TypedResults.UnprocessableEntity(answer.Response);
    }
}
