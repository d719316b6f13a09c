using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>The route table of measurements: pushes, series, revisions and the dashboard. {idOrKey} takes a KPI's id or key.
/// Everyone signed in reads; writes need measurements:write, and the handlers check ownership and a token's KPI list per value.</summary>
public static class MeasurementsApi
{
    public static IEndpointRouteBuilder MapMeasurements(this IEndpointRouteBuilder app)
    {
        var kpi = app.MapGroup("/api/v1/kpis/{idOrKey}/measurements")
            .WithTags("Measurements")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        kpi.MapPost("/", PushMeasurement.Endpoint).WithName(nameof(PushMeasurement)).RequireAuthorization(Policies.MeasurementsWrite).PushesWithIdempotencyKey().ProducesProblem(StatusCodes.Status507InsufficientStorage).AcceptsJsonProblems();
        kpi.MapPost("/batch", PushKpiMeasurements.Endpoint).WithName(nameof(PushKpiMeasurements)).RequireAuthorization(Policies.MeasurementsWrite).PushesWithIdempotencyKey().ProducesProblem(StatusCodes.Status507InsufficientStorage).AcceptsJsonProblems()
            .WithMetadata(new RequestSizeLimitAttribute(MeasurementLimits.BatchBodyBytes));
        kpi.MapGet("/", GetKpiSeries.Endpoint).WithName(nameof(GetKpiSeries)).RequireAuthorization(Policies.KpisRead);
        kpi.MapGet("/{period}", GetMeasurement.Endpoint).WithName(nameof(GetMeasurement)).RequireAuthorization(Policies.KpisRead).ProducesProblem(StatusCodes.Status404NotFound);
        kpi.MapGet("/{period}/explain", ExplainMeasurement.Endpoint).WithName(nameof(ExplainMeasurement)).RequireAuthorization(Policies.KpisRead).ProducesProblem(StatusCodes.Status409Conflict);
        kpi.MapGet("/{period}/revisions", ListMeasurementRevisions.Endpoint).WithName(nameof(ListMeasurementRevisions)).RequireAuthorization(Policies.KpisRead);
        kpi.MapDelete("/{period}", DeleteMeasurement.Endpoint).WithName(nameof(DeleteMeasurement)).RequireAuthorization(Policies.MeasurementsWrite).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status507InsufficientStorage);

        var measurements = app.MapGroup("/api/v1/measurements")
            .WithTags("Measurements")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        var import = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportOptions>>().Value;
        measurements.MapPost("/import", ImportMeasurements.Endpoint).WithName(nameof(ImportMeasurements)).RequireAuthorization(Policies.MeasurementsWrite)
            .Accepts<string>(ImportFormats.CsvMediaType, ImportFormats.NdjsonMediaType)
            .PushesWithIdempotencyKey().ProducesProblem(StatusCodes.Status507InsufficientStorage).AcceptsJsonProblems()
            .WithMetadata(new RequestSizeLimitAttribute(import.BodyBytes));
        measurements.MapGet("/export", ExportMeasurements.Endpoint).WithName(nameof(ExportMeasurements)).RequireAuthorization(Policies.KpisRead)
            .Produces<string>(StatusCodes.Status200OK, ImportFormats.CsvMediaType, ImportFormats.NdjsonMediaType);
        measurements.MapPost("/batch", PushMeasurementBatch.Endpoint).WithName(nameof(PushMeasurementBatch)).RequireAuthorization(Policies.MeasurementsWrite).PushesWithIdempotencyKey().ProducesProblem(StatusCodes.Status507InsufficientStorage).AcceptsJsonProblems()
            .WithMetadata(new RequestSizeLimitAttribute(MeasurementLimits.BatchBodyBytes));

        app.MapGroup("/api/v1/dashboard")
            .WithTags("Dashboard")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .MapGet("/kpis", GetDashboard.Endpoint).WithName(nameof(GetDashboard)).RequireAuthorization(Policies.KpisRead);
        return app;
    }
}
