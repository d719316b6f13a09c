using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using OkrKpi.Api.Infrastructure.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// The API document says how to authenticate (session cookie or bearer API token, both schemes and one global
/// requirement) and which operations can answer 401, 403 and 429, read from each endpoint's authorization metadata
/// so a new endpoint is documented by the policy it states, never by hand.
/// </summary>
public static class SecurityDocumentation
{
    public const string CookieScheme = "sessionCookie";
    public const string BearerScheme = "bearer";

    public static void Add(SwaggerGenOptions options)
    {
        options.AddSecurityDefinition(CookieScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "okrkpi-session",
            Description = "The HttpOnly session cookie that POST /api/v1/session sets for people in the browser (named " +
                          "__Host-okrkpi-session over HTTPS). Unsafe requests with it also need the X-XSRF-TOKEN header: " +
                          "the value of the readable XSRF-TOKEN cookie.",
        });
        options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "okr_<public id>_<secret>",
            Description = "An API token, sent as 'Authorization: Bearer okr_<16 hex digits of public id>_<43+ characters of secret>'. " +
                          "Created at POST /api/v1/tokens with scopes (kpis:read, okrs:read, measurements:write, kpis:write, " +
                          "okrs:write, admin), shown once. When OIDC is enabled, a JWT from the identity provider is accepted here too.",
        });
        // Either scheme will do: two requirement objects, one per scheme (OpenAPI: any one of the list suffices).
        options.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [] });
        options.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
        options.OperationFilter<AuthorizationResponses>();
    }

    /// <summary>401/403/429 for every operation that needs a caller; anonymous ones state their own (sign-in: 401 and 429).</summary>
    private sealed class AuthorizationResponses : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= new OpenApiResponses();

            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [];   // overrides the global requirement: no credentials needed
            }
            else
            {
                Add(operation, context, StatusCodes.Status401Unauthorized, "Not signed in, or the API token is unknown, malformed, expired or revoked.");
                Add(operation, context, StatusCodes.Status403Forbidden, Forbidden(metadata));
                // Invalid tokens from an address over its limit, and writes of a token over its limit.
                Add(operation, context, StatusCodes.Status429TooManyRequests, "Too many requests: retry after the interval in the Retry-After header.");
            }

            // An error answered without a body gets a problem body at run time (status code pages), so say so.
            foreach (var (status, response) in operation.Responses)
                if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
                    bare.Content = ProblemContent(context);
        }

        private static string Forbidden(IList<object> metadata)
        {
            var policies = metadata.OfType<IAuthorizeData>().Select(data => data.Policy).Where(p => !string.IsNullOrEmpty(p)).Distinct().ToList();
            var needs = policies.Count == 0 ? "" : $" Needs: {string.Join(", ", policies)}.";
            return "The caller's role or the token's scopes do not allow this, or an editor is not in the team owning the resource." + needs;
        }

        private static void Add(OpenApiOperation operation, OperationFilterContext context, int status, string description)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse { Content.Count: > 0 }) return;
            operation.Responses[key] = new OpenApiResponse { Description = description, Content = ProblemContent(context) };
        }

        private static Dictionary<string, IOpenApiMediaType> ProblemContent(OperationFilterContext context) => new()
        {
            ["application/problem+json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
        };
    }
}
