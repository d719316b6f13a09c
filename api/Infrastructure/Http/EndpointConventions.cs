namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>The problem answers shared by families of endpoints, declared once so the API document lists them.</summary>
public static class EndpointConventions
{
    /// <summary>An endpoint with a JSON body: too large (413) and not JSON (415).</summary>
    public static RouteHandlerBuilder AcceptsJsonProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>An update guarded by If-Match: missing (404), stale (412), no If-Match (428), conflicting (409).</summary>
    public static RouteHandlerBuilder UpdatesWithIfMatch(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    /// <summary>
    /// A JSON Merge Patch of a resource whose full replacement takes <typeparamref name="TBody"/>: accepted only as
    /// application/merge-patch+json (415 otherwise), guarded by If-Match like any update.
    /// </summary>
    public static RouteHandlerBuilder AcceptsMergePatch<TBody>(this RouteHandlerBuilder endpoint) where TBody : notnull => endpoint
        .Accepts<TBody>(MergePatch.MediaType)
        .WithMetadata(new MergePatchOf(typeof(TBody)))
        .UpdatesWithIfMatch()
        .AcceptsJsonProblems();

    /// <summary>A push: a retired KPI (409), an Idempotency-Key reused for another request (422), a twin still running (409).</summary>
    public static RouteHandlerBuilder PushesWithIdempotencyKey(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

/// <summary>Marks a PATCH endpoint: its body is a merge patch of <see cref="Body"/>, the body of the resource's full replacement.</summary>
public sealed record MergePatchOf(Type Body);
