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
        // After the framework's writer, which declines a request whose Accept header excludes JSON.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWhateverAccept>();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        return services;
    }

    /// <summary>A cookie-authenticated write whose X-XSRF-TOKEN header is missing or wrong (403).</summary>
    public const string CsrfTokenInvalid = "csrf-token-invalid";

    /// <summary>An API token sent in the query string, where it is never accepted (400).</summary>
    public const string TokenInQuery = "token-in-query";

    /// <summary>Every code a problem can carry: the API document lists them as an enum.</summary>
    public static IReadOnlyList<string> Codes { get; } =
        new[] { 400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 503, 507, 500, 418 }.Select(Code).Append(CsrfTokenInvalid).Append(TokenInQuery).Distinct().ToList();

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
        507 => "insufficient-storage",
        _ when status >= 500 => "internal-error",
        _ => "error",
    };
}

/// <summary>
/// Writes a problem the framework's writer declined because the request's Accept header excludes JSON (text/csv on an
/// export, say): a refusal or an error then went out as a 500 with an empty body. RFC 9110 lets a server answer in a
/// type the client did not ask for, and a problem it can read beats none. The body is the framework writer's own:
/// only its Accept check is skipped.
/// </summary>
internal sealed class ProblemJsonWhateverAccept(IServiceProvider services) : IProblemDetailsWriter
{
    private IProblemDetailsWriter? _framework;

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        _framework ??= services.GetServices<IProblemDetailsWriter>().First(writer => writer is not ProblemJsonWhateverAccept);
        return _framework.WriteAsync(context);
    }
}
