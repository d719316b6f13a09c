using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>
/// The route table of webhook subscriptions. Admins manage every webhook; editors (and tokens with kpis:write) those
/// filtering on their own teams. docs/webhooks.md describes events, payloads, signing and delivery.
/// </summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/api/v1/webhooks")
            .WithTags("Webhooks")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        webhooks.MapPost("/", CreateWebhook.Endpoint).WithName(nameof(CreateWebhook)).RequireAuthorization(Policies.KpisWrite).AcceptsJsonProblems()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        webhooks.MapGet("/", ListWebhooks.Endpoint).WithName(nameof(ListWebhooks)).RequireAuthorization(Policies.KpisWrite);
        webhooks.MapGet("/{webhookId:guid}", GetWebhook.Endpoint).WithName(nameof(GetWebhook)).RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapDelete("/{webhookId:guid}", DeleteWebhook.Endpoint).WithName(nameof(DeleteWebhook)).RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{webhookId:guid}/enable", SetWebhookEnabled.Enable).WithName("EnableWebhook").RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        webhooks.MapPost("/{webhookId:guid}/disable", SetWebhookEnabled.Disable).WithName("DisableWebhook").RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        webhooks.MapPost("/{webhookId:guid}/rotate-secret", RotateWebhookSecret.Endpoint).WithName(nameof(RotateWebhookSecret)).RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{webhookId:guid}/test", SendTestWebhook.Endpoint).WithName(nameof(SendTestWebhook)).RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{webhookId:guid}/deliveries", ListWebhookDeliveries.Endpoint).WithName(nameof(ListWebhookDeliveries)).RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{webhookId:guid}/deliveries/{deliveryId:guid}/replay", ReplayWebhookDelivery.Endpoint).WithName(nameof(ReplayWebhookDelivery))
            .RequireAuthorization(Policies.KpisWrite).ProducesProblem(StatusCodes.Status404NotFound);
        return webhooks;
    }
}
