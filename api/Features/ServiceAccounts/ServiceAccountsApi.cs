using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.ServiceAccounts;

/// <summary>The route table of service accounts: admins manage them (their tokens live under /api/v1/tokens).</summary>
public static class ServiceAccountsApi
{
    public static RouteGroupBuilder MapServiceAccounts(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/v1/service-accounts")
            .WithTags("ServiceAccounts")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        accounts.MapPost("/", CreateServiceAccount.Endpoint).WithName(nameof(CreateServiceAccount)).RequireAuthorization(Policies.Admin).AcceptsJsonProblems();
        accounts.MapGet("/", ListServiceAccounts.Endpoint).WithName(nameof(ListServiceAccounts)).RequireAuthorization(Policies.Admin);
        accounts.MapPut("/{serviceAccountId:guid}", UpdateServiceAccount.Endpoint).WithName(nameof(UpdateServiceAccount)).RequireAuthorization(Policies.Admin)
            .UpdatesWithIfMatch().AcceptsJsonProblems();
        return accounts;
    }
}
