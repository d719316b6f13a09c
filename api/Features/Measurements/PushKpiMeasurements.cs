using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Import;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>Records many values of one KPI at once; atomic unless mode=partial. A KPI the caller may not write is a 403 for the whole request.</summary>
public static class PushKpiMeasurements
{
    public sealed record Body(IReadOnlyList<MeasurementInput>? Items);

    public sealed record Command(string IdOrKey, IReadOnlyList<MeasurementInput>? Items, string? Mode, IdempotencyKey? Idempotency)
        : ICommand<Idempotent<BatchResponse>>;

    public static async Task<Results<Ok<BatchResponse>, UnprocessableReport<BatchResponse>>> Endpoint(string idOrKey, Body body,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, HttpResponse http, CancellationToken ct, string? mode = null)
    {
        var key = IdempotencyKey.From(idempotencyKey, $"PushKpiMeasurements:{idOrKey}:{mode}", body);
        return BatchModes.Reply(await sender.Send(new Command(idOrKey, body.Items, mode, key), ct), http);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Items).MustBeABatch("{ period, value }");
            RuleForEach(c => c.Items).NotNull().WithMessage("Each item must be an object: { period, value }.");
            RuleFor(c => c.Mode).MustBeABatchMode();
        }
    }

    internal sealed class Handler(MeasurementWrites writes) : ICommandHandler<Command, Idempotent<BatchResponse>>
    {
        // Every item names the route's KPI, which is also checked for the whole request first.
        public async ValueTask<Idempotent<BatchResponse>> Handle(Command command, CancellationToken ct) =>
            await writes.PushBatchAsync(
                command.Items!.Select((item, index) => new MeasurementItem(index, command.IdOrKey, item.Period, RawValue.FromJson(item.Value), item.Note, item.ExternalId, item.Source)).ToList(),
                command.IdOrKey, BatchModeRules.Parse(command.Mode), command.Idempotency, ct);
    }
}
