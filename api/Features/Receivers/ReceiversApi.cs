using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>
/// The route table of receivers: admins define, edit, disable and delete them, try payloads and read their delivery
/// logs; providers deliver to
/// /api/v1/hooks/{receiverId} with a token holding measurements:write (Bearer, or the password of Basic auth), which
/// may be restricted to that one receiver.
/// </summary>
public static class ReceiversApi
{
    public static IEndpointRouteBuilder MapReceivers(this IEndpointRouteBuilder app)
    {
        var receivers = app.MapGroup("/api/v1/receivers")
            .WithTags("Receivers")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        receivers.MapPost("/", CreateReceiver.Endpoint).WithName(nameof(CreateReceiver)).RequireAuthorization(Policies.Admin).AcceptsJsonProblems();
        receivers.MapGet("/", ListReceivers.Endpoint).WithName(nameof(ListReceivers)).RequireAuthorization(Policies.Admin);
        receivers.MapGet("/{receiverId:guid}", GetReceiver.Endpoint).WithName(nameof(GetReceiver)).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound);
        receivers.MapPatch("/{receiverId:guid}", PatchReceiver.Endpoint).WithName(nameof(PatchReceiver)).RequireAuthorization(Policies.Admin)
            .AcceptsMergePatch<PatchReceiver.Body>();
        receivers.MapDelete("/{receiverId:guid}", DeleteReceiver.Endpoint).WithName(nameof(DeleteReceiver)).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        receivers.MapGet("/{receiverId:guid}/deliveries", ListReceiverDeliveries.Endpoint).WithName(nameof(ListReceiverDeliveries))
            .RequireAuthorization(Policies.Admin).ProducesProblem(StatusCodes.Status404NotFound);
        receivers.MapPost("/{receiverId:guid}/try", TryReceiverPayload.Endpoint).WithName(nameof(TryReceiverPayload))
            .RequireAuthorization(Policies.Admin).Accepts<object>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new RequestSizeLimitAttribute(ReceiveHook.MaxPayloadBytes));

        app.MapGroup("/api/v1/hooks")
            .WithTags("Receivers")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .MapPost("/{receiverId:guid}", ReceiveHook.Endpoint).WithName(nameof(ReceiveHook)).RequireAuthorization(Policies.MeasurementsWrite)
            .WithMetadata(new ReceiverHookMetadata(), new RequestSizeLimitAttribute(ReceiveHook.MaxPayloadBytes)).Accepts<object>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }
}
