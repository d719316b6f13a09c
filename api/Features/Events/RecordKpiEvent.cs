using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Idempotency;

namespace OkrKpi.Api.Features.Events;

/// <summary>Records one occurrence of a KPI fed by events: created, or unchanged when its eventId was recorded before.</summary>
public static class RecordKpiEvent
{
    public sealed record Command(string IdOrKey, EventInput Input, IdempotencyKey? Idempotency) : ICommand<Idempotent<Response>>;

    /// <param name="Result">created, or unchanged when an event with this eventId was recorded before (a redelivery): nothing was added.</param>
    /// <param name="Event">The event as stored (for a redelivery, the one recorded first).</param>
    /// <param name="Measurement">The value of the event's period, derived from all its events by the KPI's aggregation.</param>
    public sealed record Response(ItemResult Result, KpiEventResponse Event, MeasurementResponse Measurement);

    public static async Task<Results<Created<Response>, Ok<Response>>> Endpoint(string idOrKey, EventInput body,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, HttpResponse http, CancellationToken ct)
    {
        var key = IdempotencyKey.From(idempotencyKey, $"RecordKpiEvent:{idOrKey}", body);
        var (response, replayed) = await sender.Send(new Command(idOrKey, body, key), ct);
        if (replayed) http.Headers[IdempotencyKey.ReplayedHeader] = "true";
        return response.Result == ItemResult.Created
            ? TypedResults.Created($"/api/v1/kpis/{response.Event.KpiId}/events", response)
            : TypedResults.Ok(response);
    }

    internal sealed class Handler(EventWrites writes) : ICommandHandler<Command, Idempotent<Response>>
    {
        public async ValueTask<Idempotent<Response>> Handle(Command command, CancellationToken ct) =>
            await writes.RecordOneAsync(command.IdOrKey, command.Input, command.Idempotency, ct);
    }
}
