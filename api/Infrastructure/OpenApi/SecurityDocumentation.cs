using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using OkrKpi.Api.Infrastructure.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// The API document says how to authenticate (session cookie, API token, OIDC bearer) and, per operation, which of
/// them it accepts and which refusals it can answer (401, 403, 429), read from each endpoint's authorization metadata,
/// so a new endpoint is documented by the policy it states, never by hand.
/// </summary>
public static class SecurityDocumentation
{
    public const string CookieScheme = "sessionCookie";
    public const string BearerScheme = "bearer";
    public const string OidcScheme = "oidc";
    public const string BasicScheme = "basic";

    public static void Add(SwaggerGenOptions options)
    {
        options.AddSecurityDefinition(CookieScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "okrkpi-session",
            Description = "The HttpOnly session cookie that POST /api/v1/session sets for people in the browser (named " +
                          "__Host-okrkpi-session over HTTPS). Unsafe requests with it also need the X-XSRF-TOKEN header: " +
                          "the value of the readable XSRF-TOKEN cookie (403 with code csrf-token-invalid otherwise).",
        });
        options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "okr_<public id>_<secret>",
            Description = "An API token, sent as 'Authorization: Bearer okr_<16 hex digits of public id>_<43+ characters of secret>'. " +
                          "A signed-in person creates it at POST /api/v1/tokens with scopes (kpis:read, okrs:read, measurements:write, " +
                          "kpis:write, okrs:write, admin); it is shown once. Never accepted from a cookie or the query string.",
        });
        options.AddSecurityDefinition(BasicScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "An API token as the password of HTTP Basic auth, with any user name: 'Authorization: Basic base64(<any>:okr_…)'. " +
                          "For senders that can do nothing else, such as Azure DevOps service hooks. Same token, same rules as bearer.",
        });
        options.AddSecurityDefinition(OidcScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Only where the deployment enables OIDC (Oidc:Enabled): a JWT from the organisation's identity provider, " +
                          "sent as 'Authorization: Bearer <JWT>'. Validated as RFC8725 (JWT best current practices) recommends: signature with the issuer's " +
                          "published keys (no 'none' algorithm), issuer, audience and lifetime. It signs a person in, like the session cookie.",
        });
        options.OperationFilter<OperationSecurity>();
    }

    /// <summary>Which schemes an operation accepts, and the refusals that come with needing a caller.</summary>
    private sealed class OperationSecurity : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= new OpenApiResponses();
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                // No requirement: no credentials needed. But a body in a media type the operation does not accept is
                // answered by the router's own 415 endpoint, which is not anonymous, so the CSRF check (Csrf) sees it first.
                if (operation.RequestBody is not null)
                    ResponseDocumentation.AddProblem(operation, context, StatusCodes.Status403Forbidden,
                        "Only for a browser that is signed in already: a body in a media type this operation does not accept, sent " +
                        "without a valid X-XSRF-TOKEN header, is refused as a possible cross-site form post (code csrf-token-invalid).");
                return;
            }

            var person = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == Policies.Person);
            var schemes = person ? [CookieScheme, OidcScheme] : new[] { CookieScheme, BearerScheme, BasicScheme, OidcScheme };
            // Any one of the listed requirements suffices (OpenAPI), so each scheme is a requirement of its own.
            operation.Security = schemes
                .Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] })
                .ToList();

            if (!person)
                foreach (var (_, response) in operation.Responses.Where(r => r.Key.StartsWith('2')))
                    if (response is OpenApiResponse documented)
                        ResponseDocumentation.SharedHeader(documented, context, ApiTokens.ExpiresHeader,
                            "Sent to an API token that stops working within 14 days (or to the previous secret of a rotated token): when, " +
                            "as an RFC 3339 UTC instant. Rotate it (POST /api/v1/tokens/{id}/rotate) before then.",
                            "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$");

            ResponseDocumentation.AddProblem(operation, context, StatusCodes.Status401Unauthorized,
                "Not signed in, or the API token is unknown, malformed, expired or revoked.");
            ResponseDocumentation.AddProblem(operation, context, StatusCodes.Status403Forbidden, Forbidden(metadata, person));
            ResponseDocumentation.AddProblem(operation, context, StatusCodes.Status429TooManyRequests,
                "Too many requests (invalid API tokens from one address, or writes of one token): retry after the interval in the Retry-After header.");
        }

        private static string Forbidden(IList<object> metadata, bool person)
        {
            var policies = metadata.OfType<IAuthorizeData>().Select(data => data.Policy).Where(p => !string.IsNullOrEmpty(p)).Distinct().ToList();
            var needs = policies.Count == 0 ? "" : $" Needs: {string.Join(", ", policies)}.";
            var who = person ? "An API token cannot call this; a person must." : "The caller's role or the token's scopes do not allow this, or an editor is not in the team owning the resource.";
            return who + " A cookie-authenticated write without a valid X-XSRF-TOKEN header is refused too." + needs;
        }
    }
}
