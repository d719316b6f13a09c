using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Import;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// Records values of many KPIs in one request, each item naming its KPI by key or id; atomic unless mode=partial. An
/// item for a KPI the caller may not write is rejected with the reason, like an invalid one.
/// </summary>
public static class PushMeasurementBatch
{
    public sealed record Body(IReadOnlyList<BatchItemInput>? Items);

    public sealed record Command(IReadOnlyList<BatchItemInput>? Items, string? Mode, IdempotencyKey? Idempotency) : ICommand<Idempotent<BatchResponse>>;

    public static async Task<Results<Ok<BatchResponse>, UnprocessableReport<BatchResponse>>> Endpoint(Body body,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, HttpResponse http, CancellationToken ct, string? mode = null)
    {
        var key = IdempotencyKey.From(idempotencyKey, $"PushMeasurementBatch:{mode}", body);
        return BatchModes.Reply(await sender.Send(new Command(body.Items, mode, key), ct), http);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Items).MustBeABatch("{ kpi, period, value }");
            RuleForEach(c => c.Items).NotNull().WithMessage("Each item must be an object: { kpi, period, value }.");
            RuleFor(c => c.Mode).MustBeABatchMode();
        }
    }

    internal sealed class Handler(MeasurementWrites writes) : ICommandHandler<Command, Idempotent<BatchResponse>>
    {
        public async ValueTask<Idempotent<BatchResponse>> Handle(Command command, CancellationToken ct) =>
            await writes.PushBatchAsync(
                command.Items!.Select((item, index) => new MeasurementItem(index, item.Kpi, item.Period, RawValue.FromJson(item.Value), item.Note, item.ExternalId, item.Source)).ToList(),
                null, BatchModeRules.Parse(command.Mode), command.Idempotency, ct);
    }
}
