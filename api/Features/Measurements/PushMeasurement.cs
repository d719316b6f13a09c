using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Idempotency;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>Records one value of a KPI for one period: created, replaced (the old value kept in history) or unchanged.</summary>
public static class PushMeasurement
{
    public sealed record Command(string IdOrKey, MeasurementInput Input, IdempotencyKey? Idempotency) : ICommand<Idempotent<Response>>;

    /// <param name="Rounded">True when the value sent had more digits than are stored: <c>measurement.value</c> is the value as stored.</param>
    public sealed record Response(ItemResult Result, bool Rounded, MeasurementResponse Measurement);

    public static async Task<Results<Created<Response>, Ok<Response>>> Endpoint(string idOrKey, MeasurementInput body,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, HttpResponse http, CancellationToken ct)
    {
        var key = IdempotencyKey.From(idempotencyKey, $"PushMeasurement:{idOrKey}", body);
        var (response, replayed) = await sender.Send(new Command(idOrKey, body, key), ct);
        if (replayed) http.Headers[IdempotencyKey.ReplayedHeader] = "true";
        return response.Result == ItemResult.Created
            ? TypedResults.Created($"/api/v1/kpis/{response.Measurement.KpiId}/measurements/{response.Measurement.Period}", response)
            : TypedResults.Ok(response);
    }

    internal sealed class Handler(MeasurementWrites writes) : ICommandHandler<Command, Idempotent<Response>>
    {
        public async ValueTask<Idempotent<Response>> Handle(Command command, CancellationToken ct) =>
            await writes.PushOneAsync(command.IdOrKey, command.Input, command.Idempotency, ct);
    }
}
