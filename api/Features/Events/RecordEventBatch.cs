using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Mediator;

namespace OkrKpi.Api.Features.Events;

/// <summary>
/// Records occurrences of many KPIs in one request, each item naming its KPI by key or id; atomic unless mode=partial.
/// A redelivered event (a known eventId) is unchanged, a refused one is rejected with the field and the reason.
/// </summary>
public static class RecordEventBatch
{
    public sealed record Body(IReadOnlyList<EventBatchItemInput>? Items);

    public sealed record Command(IReadOnlyList<EventBatchItemInput>? Items, string? Mode, IdempotencyKey? Idempotency) : ICommand<Idempotent<EventBatchResponse>>;

    public static async Task<Results<Ok<EventBatchResponse>, UnprocessableReport<EventBatchResponse>>> Endpoint(Body body,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, HttpResponse http, CancellationToken ct, string? mode = null)
    {
        var key = IdempotencyKey.From(idempotencyKey, $"RecordEventBatch:{mode}", body);
        var (response, replayed) = await sender.Send(new Command(body.Items, mode, key), ct);
        if (replayed) http.Headers[IdempotencyKey.ReplayedHeader] = "true";
        return response.Committed
            ? TypedResults.Ok(response)
            : new UnprocessableReport<EventBatchResponse>(response, $"Nothing was stored: {response.Rejected} of {response.Items.Count} events were refused, and the batch is atomic (mode=partial stores the others). See items.");
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Items).NotNull().WithMessage("items is required: an array of { kpi, occurredAt, value, eventId }.")
                .ItemCount(1, EventLimits.MaxBatchItems).WithMessage($"items must hold 1 to {EventLimits.MaxBatchItems} events.");
            RuleForEach(c => c.Items).NotNull().WithMessage("Each item must be an object: { kpi, occurredAt, value, eventId }.");
            RuleFor(c => c.Mode).MustBeABatchMode();
        }
    }

    internal sealed class Handler(EventWrites writes) : ICommandHandler<Command, Idempotent<EventBatchResponse>>
    {
        public async ValueTask<Idempotent<EventBatchResponse>> Handle(Command command, CancellationToken ct) =>
            await writes.RecordBatchAsync(
                command.Items!.Select((item, index) => new EventItem(index, item.Kpi, item.OccurredAt, RawValue.FromJson(item.Value), item.EventId)).ToList(),
                BatchModeRules.Parse(command.Mode), command.Idempotency, ct);
    }
}
