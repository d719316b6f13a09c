using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Events;

/// <summary>The route table of events: occurrences recorded for KPIs fed by events, one at a time or in a batch across KPIs,
/// and a KPI's events read back. Writes need measurements:write, and the handlers check ownership and a token's KPI list per event.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var kpi = app.MapGroup("/api/v1/kpis/{idOrKey}/events")
            .WithTags("Events")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        kpi.MapPost("/", RecordKpiEvent.Endpoint).WithName(nameof(RecordKpiEvent)).RequireAuthorization(Policies.MeasurementsWrite).PushesWithIdempotencyKey()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status507InsufficientStorage).AcceptsJsonProblems();
        kpi.MapGet("/", ListKpiEvents.Endpoint).WithName(nameof(ListKpiEvents)).RequireAuthorization(Policies.KpisRead);

        app.MapGroup("/api/v1/events")
            .WithTags("Events")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .MapPost("/", RecordEventBatch.Endpoint).WithName(nameof(RecordEventBatch)).RequireAuthorization(Policies.MeasurementsWrite).PushesWithIdempotencyKey()
            .ProducesProblem(StatusCodes.Status507InsufficientStorage).AcceptsJsonProblems()
            .WithMetadata(new RequestSizeLimitAttribute(EventLimits.BatchBodyBytes));
        return app;
    }
}
