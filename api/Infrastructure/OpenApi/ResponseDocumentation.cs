using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// Every answer an operation can give, with its real media types, schema and headers. API Explorer keeps one
/// response type per status code; here each status lists every media type the endpoint declares, and a refused atomic
/// batch's or import's 422 (a problem carrying the per-item report) is documented as that problem, which also covers
/// the plain 422 problem of an Idempotency-Key reused. Answers every
/// operation can give are added to all: 400 (an unknown query parameter), 500 (a bug; it is logged) and 503 (the
/// database busy or still being prepared). Headers: Location on 201, ETag where a single resource is returned,
/// Retry-After on 429 and 503, Idempotent-Replayed where an Idempotency-Key is accepted, the RateLimit fields where
/// an API token's writes are counted (TokenWriteLimit). If-Match is marked required
/// where its absence is answered with 428.
/// </summary>
public sealed class ResponseDocumentation : IOperationFilter
{
    public const string ETagHeader = "ETag";
    public const string LocationHeader = "Location";
    public const string RetryAfterHeader = "Retry-After";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Responses ??= new OpenApiResponses();
        MergeDeclaredMediaTypes(operation, context);

        AddProblem(operation, context, StatusCodes.Status400BadRequest, Descriptions[400]);
        AddProblem(operation, context, StatusCodes.Status500InternalServerError, Descriptions[500]);
        AddProblem(operation, context, StatusCodes.Status503ServiceUnavailable, Descriptions[503]);

        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (response is not OpenApiResponse documented) continue;
            var code = int.Parse(status, CultureInfo.InvariantCulture);
            if (code >= 400 && documented.Content is not { Count: > 0 }) documented.Content = ProblemContent(context, code);
            if (Descriptions.TryGetValue(code, out var description) && IsReasonPhrase(documented.Description, code))
                documented.Description = description;
            AddHeaders(operation, context, code, documented);
            // The answer a client expects first: a generated client reads the first JSON media type of a status.
            if (documented.Content is { Count: > 1 } several)
                documented.Content = several.OrderBy(c => c.Key == "application/json" ? 0 : 1).ToDictionary(c => c.Key, c => c.Value);
        }

        if (operation.Responses.ContainsKey("428") && operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == "If-Match") is { } ifMatch)
        {
            ifMatch.Required = true;
            ifMatch.Description = "The ETag you last read (e.g. \"3\"), or * for whatever version is current. Without it the update is refused with 428.";
        }

        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in sorted) operation.Responses[status] = response;
    }

    /// <summary>Adds a problem answer unless the operation documents that status already.</summary>
    public static void AddProblem(OpenApiOperation operation, OperationFilterContext context, int status, string description)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        operation.Responses ??= new OpenApiResponses();
        if (operation.Responses.TryGetValue(key, out var existing) && existing is OpenApiResponse { Content.Count: > 0 }) return;
        operation.Responses[key] = new OpenApiResponse { Description = description, Content = ProblemContent(context, status) };
    }

    private static Dictionary<string, IOpenApiMediaType> ProblemContent(OperationFilterContext context, int status) => new()
    {
        ["application/problem+json"] = new OpenApiMediaType
        {
            Schema = context.SchemaGenerator.GenerateSchema(status == 400 ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), context.SchemaRepository),
        },
    };

    private static void MergeDeclaredMediaTypes(OpenApiOperation operation, OperationFilterContext context)
    {
        var declared = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
            .Where(m => m.Type is not null && m.Type != typeof(void))
            .GroupBy(m => m.StatusCode);
        foreach (var status in declared)
        {
            var key = status.Key.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses!.TryGetValue(key, out var existing) || existing is not OpenApiResponse response) continue;
            response.Content ??= new Dictionary<string, IOpenApiMediaType>();
            foreach (var metadata in status)
            foreach (var mediaType in metadata.ContentTypes.DefaultIfEmpty("application/json"))
            {
                // A report sent as a problem (UnprocessableReport): its schema covers the plain problem of that status too.
                if (mediaType == ProblemMediaType && !IsProblemType(metadata.Type!))
                {
                    response.Content[mediaType] = new OpenApiMediaType { Schema = ProblemSchemas.Carrying(metadata.Type!, context) };
                    response.Description = ReportDescription;
                    continue;
                }
                if (response.Content.ContainsKey(mediaType)) continue;
                var type = metadata.Type == typeof(HttpValidationProblemDetails) || metadata.Type == typeof(ProblemDetails) ? metadata.Type : metadata.Type!;
                response.Content[mediaType] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository) };
            }
        }
    }

    private const string ProblemMediaType = "application/problem+json";

    private const string ReportDescription = "Refused as a whole; nothing was stored. When items or rows were refused, the problem carries " +
                                             "the report: every item's result, or the rows' errors with their line numbers.";

    private static bool IsProblemType(Type type) => typeof(ProblemDetails).IsAssignableFrom(type);

    private static void AddHeaders(OpenApiOperation operation, OperationFilterContext context, int status, OpenApiResponse response)
    {
        if (status == StatusCodes.Status201Created)
            Header(response, LocationHeader, "Where the created resource (or, for a measurement, its period) can be read.", required: true, maxLength: 2048);
        if (status is >= 200 and < 300 && ReturnsVersionedResource(response, context))
            Header(response, ETagHeader, "The resource's version as a strong entity tag (\"3\"): send it back in If-Match to change the resource.",
                required: true, maxLength: 24, pattern: "^\"[0-9]+\"$");
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            Header(response, RetryAfterHeader, "Seconds to wait before retrying.", required: status == StatusCodes.Status429TooManyRequests, integer: true);
        if (operation.Parameters?.Any(p => p.Name == IdempotencyKey.Header) == true && (status is >= 200 and < 300 || status == StatusCodes.Status422UnprocessableEntity))
            Header(response, IdempotencyKey.ReplayedHeader, "true when this is the stored answer to an earlier request with the same Idempotency-Key and body.",
                required: false, enumeration: ["true"]);
        // Whatever the endpoint: a write sent with a token is counted even where the token is not needed or not enough.
        if (IsWrite(context) && status != StatusCodes.Status401Unauthorized)
        {
            SharedHeader(response, context, TokenWriteLimit.PolicyHeader, "Sent to API tokens: the writes-per-token quota as `\"writes\";q=<writes>;w=60` (RateLimit fields, IETF draft).",
                "^\"writes\";q=[0-9]+;w=60$");
            SharedHeader(response, context, TokenWriteLimit.Header, "Sent to API tokens: writes left in the current minute as `\"writes\";r=<left>`, with `;t=<seconds until the window resets>` on a 429.",
                "^\"writes\";r=[0-9]+(;t=[0-9]+)?$");
        }
    }

    /// <summary>A header that every write answer carries alike, documented once under components and referenced.</summary>
    internal static void SharedHeader(OpenApiResponse response, OperationFilterContext context, string name, string description, string pattern)
    {
        context.Document.Components ??= new OpenApiComponents();
        context.Document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        context.Document.Components.Headers.TryAdd(name, new OpenApiHeader
        {
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 64, Pattern = pattern },
        });
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeaderReference(name, context.Document);
    }

    private static bool IsWrite(OperationFilterContext context) =>
        context.ApiDescription.HttpMethod is { } method && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);

    /// <summary>A single resource carries its version as an ETag; lists and reports carry none.</summary>
    private static bool ReturnsVersionedResource(OpenApiResponse response, OperationFilterContext context)
    {
        if (response.Content?.TryGetValue("application/json", out var json) != true || json!.Schema is not { } schema) return false;
        var id = schema is OpenApiSchemaReference reference ? reference.Reference.Id : null;
        return id is not null && context.SchemaRepository.Schemas.TryGetValue(id, out var component)
            && component.Properties?.ContainsKey("version") == true;
    }

    private static void Header(OpenApiResponse response, string name, string description, bool required, int? maxLength = null,
        string? pattern = null, bool integer = false, IReadOnlyList<string>? enumeration = null)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader
        {
            Description = description,
            Required = required,
            Schema = integer
                ? new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "86400" }
                : new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    MaxLength = maxLength,
                    Pattern = pattern,
                    Enum = enumeration?.Select(v => (JsonNode)v).ToList(),
                },
        };
    }

    private static bool IsReasonPhrase(string? description, int status) =>
        string.IsNullOrEmpty(description) || description == Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [200] = "OK.",
        [201] = "Created.",
        [204] = "Done; no content.",
        [400] = "Invalid input: `errors` names each offending field (its JSON name, query parameter or header) with the reasons. An unknown query parameter is refused too.",
        [404] = "Nothing with that id (or key) exists.",
        [409] = "Conflicts with the current state (a duplicate, a retired KPI, a closed cycle, or a request with the same Idempotency-Key still running); `detail` says which.",
        [412] = "If-Match names a version that is no longer current: read the resource again and reapply your change.",
        [413] = "The request body is larger than this operation accepts.",
        [415] = "The body is not in a media type this operation accepts.",
        [422] = "Refused as a whole; nothing was stored.",
        [428] = "If-Match is missing: send the ETag you last read, so the update cannot overwrite someone else's change.",
        [500] = "An unexpected error: a bug, which is logged. Quote `traceId` when reporting it.",
        [503] = "The database is busy or still being prepared: retry after the interval in the Retry-After header.",
    };
}
