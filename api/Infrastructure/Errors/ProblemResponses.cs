namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>Registers problem details for every error answer, each with a stable machine-readable code.</summary>
public static class ProblemResponses
{
    public static IServiceCollection AddProblemResponses(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions.TryAdd("code", Code(problem.Status ?? context.HttpContext.Response.StatusCode));
            problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        return services;
    }

    /// <summary>A cookie-authenticated write whose X-XSRF-TOKEN header is missing or wrong (403).</summary>
    public const string CsrfTokenInvalid = "csrf-token-invalid";

    /// <summary>Every code a problem can carry: the API document lists them as an enum.</summary>
    public static IReadOnlyList<string> Codes { get; } =
        new[] { 400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 503, 500, 418 }.Select(Code).Append(CsrfTokenInvalid).Distinct().ToList();

    public static string Code(int status) => status switch
    {
        400 => "validation-failed",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        412 => "precondition-failed",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        422 => "unprocessable",
        428 => "precondition-required",
        429 => "too-many-requests",
        503 => "unavailable",
        _ when status >= 500 => "internal-error",
        _ => "error",
    };
}
