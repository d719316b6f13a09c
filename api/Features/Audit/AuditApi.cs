using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Audit;

/// <summary>The route table of the audit log: admins read it; nobody writes it through the API.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/v1/audit")
            .WithTags("Audit")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        audit.MapGet("/", ListAuditEntries.Endpoint).WithName(nameof(ListAuditEntries)).RequireAuthorization(Policies.Admin);
        return audit;
    }
}
