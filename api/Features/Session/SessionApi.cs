using Microsoft.AspNetCore.Authorization;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Session;

/// <summary>The route table of signing in and out.</summary>
public static class SessionApi
{
    public static RouteGroupBuilder MapSession(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/v1/session")
            .WithTags("Session")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        session.MapPost("/", SignIn.Endpoint).WithName(nameof(SignIn)).AllowAnonymous().RequireRateLimiting(RateLimits.SignInPolicy)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AcceptsJsonProblems();
        session.MapGet("/", GetSession.Endpoint).WithName(nameof(GetSession)).RequireAuthorization(Policies.SignedIn);
        session.MapDelete("/", SignOut.Endpoint).WithName(nameof(SignOut)).RequireAuthorization(Policies.SignedIn);
        return session;
    }
}
