using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>The route table of the KPI definitions feature. {idOrKey} takes the KPI's id or its key.
/// Everyone signed in reads; writes need kpis:write, and the handlers check that an editor's team owns the KPI.</summary>
public static class KpisApi
{
    public static RouteGroupBuilder MapKpis(this IEndpointRouteBuilder app)
    {
        var kpis = app.MapGroup("/api/v1/kpis")
            .WithTags("Kpis")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        kpis.MapPost("/", CreateKpi.Endpoint).WithName(nameof(CreateKpi)).RequireAuthorization(Policies.KpisWrite).ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        kpis.MapPost("/import", ImportKpis.Endpoint).WithName(nameof(ImportKpis)).RequireAuthorization(Policies.KpisWrite)
            .Accepts<string>(ImportFormats.CsvMediaType, ImportFormats.NdjsonMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).AcceptsJsonProblems()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(
                app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportOptions>>().Value.BodyBytes));
        kpis.MapPost("/formula/check", CheckFormula.Endpoint).WithName(nameof(CheckFormula)).RequireAuthorization(Policies.KpisRead).AcceptsJsonProblems();
        kpis.MapGet("/", ListKpis.Endpoint).WithName(nameof(ListKpis)).RequireAuthorization(Policies.KpisRead);
        kpis.MapGet("/{idOrKey}", GetKpi.Endpoint).WithName(nameof(GetKpi)).RequireAuthorization(Policies.KpisRead).ProducesProblem(StatusCodes.Status404NotFound);
        kpis.MapPut("/{idOrKey}", UpdateKpi.Endpoint).WithName(nameof(UpdateKpi)).RequireAuthorization(Policies.KpisWrite).UpdatesWithIfMatch().AcceptsJsonProblems();
        kpis.MapPatch("/{idOrKey}", PatchKpi.Endpoint).WithName(nameof(PatchKpi)).RequireAuthorization(Policies.KpisWrite).AcceptsMergePatch<UpdateKpi.Command>();
        kpis.MapPost("/{idOrKey}/retire", SetKpiStatus.Retire).WithName("RetireKpi").RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        kpis.MapPost("/{idOrKey}/reactivate", SetKpiStatus.Reactivate).WithName("ReactivateKpi").RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        kpis.MapDelete("/{idOrKey}", DeleteKpi.Endpoint).WithName(nameof(DeleteKpi)).RequireAuthorization(Policies.KpisWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return kpis;
    }
}
