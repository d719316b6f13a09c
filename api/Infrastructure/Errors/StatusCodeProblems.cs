using Microsoft.AspNetCore.Diagnostics;

namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>
/// The problem body of an error answered without one. A bare 400 from parameter binding (the compile-time request
/// delegates answer an unparsable optional query value that way, without an exception) becomes a validation problem
/// naming each value that could not be read; everything else gets a plain problem.
/// </summary>
public static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        var errors = http.Response.StatusCode == StatusCodes.Status400BadRequest ? RequestReadErrors.Unbound(http, http.GetEndpoint(), http.Request.RouteValues) : [];

        var problem = errors.Count > 0
            ? new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Detail = "The request has invalid fields; see errors." }
            : new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = http.Response.StatusCode };
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
