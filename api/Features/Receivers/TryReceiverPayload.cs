using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>"Try a payload": what the receiver would make of it, without recording anything or logging a delivery.</summary>
public static class TryReceiverPayload
{
    public static async Task<Ok<ReceiveHook.Response>> Endpoint(Guid receiverId, HttpRequest request, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ReceiveHook.Command(receiverId, await ReceiveHook.ReadAsync(request, ct), DryRun: true), ct));
}
