using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Resilience;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>The one place where failures become RFC 9457 problem details. Nothing internal leaves through it.</summary>
internal sealed class ProblemDetailsExceptionHandler(
    IProblemDetailsService problems,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
            return true;   // the client has gone; there is nobody to answer

        // The exception handler middleware clears the endpoint and route values from the context; its feature keeps them.
        var handled = http.Features.Get<IExceptionHandlerFeature>();
        var endpoint = handled?.Endpoint;
        var problem = exception switch
        {
            ValidationException invalid => Validation(invalid.Errors.Select(e => new KeyValuePair<string, string>(FieldName(e.PropertyName), e.ErrorMessage))),
            BadHttpRequestException { InnerException: JsonException json } => Validation([RequestReadErrors.Describe(json, BodyType(endpoint))]),
            BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } when RequestReadErrors.Unbound(http, endpoint, handled?.RouteValues) is { Count: > 0 } fields =>
                Validation(fields.SelectMany(f => f.Value.Select(reason => new KeyValuePair<string, string>(f.Key, reason)))),
            BadHttpRequestException bad => Plain(bad.StatusCode, bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                _ => "The request could not be read.",
            }),
            Import.ImportFileException file => Validation([new(file.Field, file.Message)]),
            NotFoundException missing => Plain(StatusCodes.Status404NotFound, missing.Message),
            UnauthenticatedException unknown => Plain(StatusCodes.Status401Unauthorized, unknown.Message),
            ForbiddenException refused => Plain(StatusCodes.Status403Forbidden, refused.Message),
            TooManyRequestsException limited => Plain(StatusCodes.Status429TooManyRequests, limited.Message),
            ConflictException clash => Plain(StatusCodes.Status409Conflict, clash.Message),
            UnprocessableException refused => Plain(StatusCodes.Status422UnprocessableEntity, refused.Message),
            UnsupportedMediaTypeException unsupported => Plain(StatusCodes.Status415UnsupportedMediaType, unsupported.Message),
            PreconditionFailedException stale => Plain(StatusCodes.Status412PreconditionFailed, stale.Message),
            PreconditionRequiredException missing => Plain(StatusCodes.Status428PreconditionRequired, missing.Message),
            _ when Data.DbErrors.IsStorageFull(exception) => Plain(StatusCodes.Status507InsufficientStorage,
                "The database has no space left; nothing of this request was stored. Retry once space has been freed."),
            _ when TransientFaults.IsTransient(exception) => Plain(StatusCodes.Status503ServiceUnavailable,
                "The database is busy. Retry after the interval in the Retry-After header."),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = Plain(StatusCodes.Status500InternalServerError, "An unexpected error occurred. It has been logged.");
        }
        else if (exception is TooManyRequestsException limited)
        {
            http.Response.Headers.RetryAfter = RateLimits.RetryAfterSeconds(limited.RetryAfter);
        }
        else if (problem.Status == StatusCodes.Status507InsufficientStorage)
        {
            logger.LogError(exception, "Database full for {Method} {Path}", http.Request.Method, http.Request.Path);
        }
        else if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning("Database busy for {Method} {Path}", http.Request.Method, http.Request.Path);
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        }

        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new() { HttpContext = http, ProblemDetails = problem });
    }

    /// <summary>
    /// "Target.Warning" -> "target.warning", "Tags[1]" -> "tags[1]": the JSON names clients sent.
    /// Header names such as "Idempotency-Key" are kept as they are.
    /// </summary>
    public static string FieldName(string propertyPath) =>
        propertyPath.Contains('-')
            ? propertyPath
            : string.Join('.', propertyPath.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));

    private static Type? BodyType(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;

    private static HttpValidationProblemDetails Validation(IEnumerable<KeyValuePair<string, string>> errors) =>
        new(errors.GroupBy(e => e.Key, e => e.Value).ToDictionary(g => g.Key, g => g.Distinct().ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Detail = "The request has invalid fields; see errors.",
        };

    private static ProblemDetails Plain(int status, string detail) => new() { Status = status, Detail = detail };
}
