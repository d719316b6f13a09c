using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Import;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>The answer of a measurement batch in either mode.</summary>
internal static class BatchModes
{
    public static IRuleBuilderOptions<T, IReadOnlyList<TItem>?> MustBeABatch<T, TItem>(this IRuleBuilder<T, IReadOnlyList<TItem>?> rule, string itemShape) =>
        rule.NotNull().WithMessage($"items is required: an array of {itemShape}.")
            .ItemCount(1, MeasurementLimits.MaxBatchItems)
            .WithMessage($"items must hold 1 to {MeasurementLimits.MaxBatchItems} values.");

    /// <summary>200 with every item's result when stored, 422 with them when an atomic batch was refused.</summary>
    public static Results<Ok<BatchResponse>, UnprocessableReport<BatchResponse>> Reply(Idempotent<BatchResponse> answer, HttpResponse http)
    {
        if (answer.Replayed) http.Headers[IdempotencyKey.ReplayedHeader] = "true";
        return answer.Response.Committed
            ? TypedResults.Ok(answer.Response)
            : new UnprocessableReport<BatchResponse>(answer.Response, $"Nothing was stored: {answer.Response.Rejected} of {answer.Response.Items.Count} items were refused, and the batch is atomic (mode=partial stores the others). See items.");
    }
}
