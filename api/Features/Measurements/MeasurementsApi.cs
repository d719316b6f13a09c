using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Import;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>The route table of measurements: pushes, series, revisions and the dashboard. {idOrKey} takes a KPI's id or key.</summary>
public static class MeasurementsApi
{
    public static IEndpointRouteBuilder MapMeasurements(this IEndpointRouteBuilder app)
    {
        var kpi = app.MapGroup("/api/v1/kpis/{idOrKey}/measurements")
            .WithTags("Measurements")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        kpi.MapPost("/", PushMeasurement.Endpoint).WithName(nameof(PushMeasurement)).PushesWithIdempotencyKey().AcceptsJsonProblems();
        kpi.MapPost("/batch", PushKpiMeasurements.Endpoint).WithName(nameof(PushKpiMeasurements)).PushesWithIdempotencyKey().AcceptsJsonProblems()
            .WithMetadata(new RequestSizeLimitAttribute(MeasurementLimits.BatchBodyBytes));
        kpi.MapGet("/", GetKpiSeries.Endpoint).WithName(nameof(GetKpiSeries));
        kpi.MapGet("/{period}", GetMeasurement.Endpoint).WithName(nameof(GetMeasurement)).ProducesProblem(StatusCodes.Status404NotFound);
        kpi.MapGet("/{period}/revisions", ListMeasurementRevisions.Endpoint).WithName(nameof(ListMeasurementRevisions));
        kpi.MapDelete("/{period}", DeleteMeasurement.Endpoint).WithName(nameof(DeleteMeasurement));

        var measurements = app.MapGroup("/api/v1/measurements")
            .WithTags("Measurements")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        var import = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportOptions>>().Value;
        measurements.MapPost("/import", ImportMeasurements.Endpoint).WithName(nameof(ImportMeasurements))
            .Accepts<string>(ImportFormats.CsvMediaType, ImportFormats.NdjsonMediaType)
            .PushesWithIdempotencyKey().AcceptsJsonProblems()
            .WithMetadata(new RequestSizeLimitAttribute(import.BodyBytes));
        measurements.MapGet("/export", ExportMeasurements.Endpoint).WithName(nameof(ExportMeasurements))
            .Produces<string>(StatusCodes.Status200OK, ImportFormats.CsvMediaType, ImportFormats.NdjsonMediaType);
        measurements.MapPost("/batch", PushMeasurementBatch.Endpoint).WithName(nameof(PushMeasurementBatch)).PushesWithIdempotencyKey().AcceptsJsonProblems()
            .WithMetadata(new RequestSizeLimitAttribute(MeasurementLimits.BatchBodyBytes));

        app.MapGroup("/api/v1/dashboard")
            .WithTags("Dashboard")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .MapGet("/kpis", GetDashboard.Endpoint).WithName(nameof(GetDashboard));
        return app;
    }
}
