using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Alerts;

/// <summary>
/// The route table of a person's in-app alerts and of what they follow. Alerts belong to people, so tokens are not
/// admitted. docs/webhooks.md says which events make alerts, and for whom.
/// </summary>
public static class AlertsApi
{
    public static RouteGroupBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/v1")
            .WithTags("Alerts")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        alerts.MapGet("/alerts", ListAlerts.Endpoint).WithName(nameof(ListAlerts)).RequireAuthorization(Policies.Person);
        alerts.MapPost("/alerts/read", MarkAlertsRead.All).WithName("MarkAllAlertsRead").RequireAuthorization(Policies.Person);
        alerts.MapPost("/alerts/{alertId:guid}/read", MarkAlertsRead.One).WithName("MarkAlertRead").RequireAuthorization(Policies.Person)
            .ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapGet("/follows", FollowSubject.List).WithName("ListFollows").RequireAuthorization(Policies.Person);
        alerts.MapPut("/follows/kpis/{idOrKey}", FollowSubject.FollowKpi).WithName("FollowKpi").RequireAuthorization(Policies.Person)
            .ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapDelete("/follows/kpis/{idOrKey}", FollowSubject.UnfollowKpi).WithName("UnfollowKpi").RequireAuthorization(Policies.Person)
            .ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapPut("/follows/objectives/{objectiveId:guid}", FollowSubject.FollowObjective).WithName("FollowObjective").RequireAuthorization(Policies.Person)
            .ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapDelete("/follows/objectives/{objectiveId:guid}", FollowSubject.UnfollowObjective).WithName("UnfollowObjective").RequireAuthorization(Policies.Person)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return alerts;
    }
}
