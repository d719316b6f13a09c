using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>Removes a period's current value; the value stays in the period's revision history as deleted.</summary>
public static class DeleteMeasurement
{
    public sealed record Command(string IdOrKey, string Period) : ICommand;

    public static async Task<NoContent> Endpoint(string idOrKey, string period, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(idOrKey, period), ct);
        return TypedResults.NoContent();
    }

    internal sealed class Handler(MeasurementWrites writes) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            await writes.DeleteAsync(command.IdOrKey, command.Period, ct);
            return Unit.Value;
        }
    }
}
