using System.Data.Common;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>
/// Who may call what: one authentication scheme per kind of caller (session cookie, API token, optionally OIDC
/// bearer) behind a selector that looks only at the Authorization header and the session cookie, a fallback
/// policy that requires authentication, CSRF checks for cookie-authenticated writes, and 401/403 as problems.
/// </summary>
public static class AccessControl
{
    public const string Scheme = "okrkpi";

    public static IServiceCollection AddAccessControl(this IServiceCollection services, IConfiguration configuration)
    {
        var oidc = configuration.GetSection("Oidc").Get<OidcOptions>() ?? new();
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Session cookie, API token or OIDC bearer", options => options.ForwardDefaultSelector = http =>
                ApiTokens.HasBasic(http.Request) ? ApiTokenAuthenticationHandler.SchemeName
                : !ApiTokens.TryReadBearer(http.Request, out var bearer) ? SessionAuthenticationHandler.SchemeName
                : oidc.Enabled && !ApiTokens.LooksLikeApiToken(bearer) ? OidcAuthentication.Scheme
                : ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<SessionCookieOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, options => configuration.GetSection("Sessions").Bind(options))
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, _ => { });
        if (oidc.Enabled) OidcAuthentication.Add(authentication, oidc);

        services.AddAuthorization(Policies.Add);
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();
        services.AddHttpContextAccessor();
        // Outside a request (demo seeding, start-up) the application itself acts.
        services.AddScoped(provider => provider.GetRequiredService<IHttpContextAccessor>().HttpContext is { } http ? Caller.Of(http) : Caller.System);
        services.AddScoped<AuditLog>();
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection("Tokens"))
            .Validate(o => o.RotationGraceHours is >= 0 and <= TokenOptions.MaxRotationGraceHours,
                $"Tokens:RotationGraceHours must be between 0 and {TokenOptions.MaxRotationGraceHours}.")
            .ValidateOnStart();
        services.AddSingleton<TokenUsage>();
        services.AddHostedService(provider => provider.GetRequiredService<TokenUsage>());

        services.AddDataProtection().SetApplicationName("OkrKpi");
        services.AddOptions<KeyManagementOptions>().Configure<DbDataSource>((options, db) => options.XmlRepository = new DatabaseXmlRepository(db));
        services.AddAntiforgery(options =>
        {
            options.HeaderName = Csrf.HeaderName;
            options.Cookie.Name = "okrkpi-csrf";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddRateLimits(configuration);
        return services;
    }

    /// <summary>Authentication, CSRF checks, rate limits (per token, so after authentication) and authorization.</summary>
    public static IApplicationBuilder UseAccessControl(this IApplicationBuilder app) => app
        .UseMiddleware<TokenInQueryRefusal>()
        .UseAuthentication()
        .UseMiddleware<Csrf>()
        .UseRateLimiter()
        .Use((http, next) =>
        {
            http.RequestServices.GetRequiredService<TokenWriteLimit>().Advertise(http);
            return next(http);
        })
        .UseAuthorization();
}

/// <summary>Writes 401 and 403 as problem details; a 401 for an address over its failed-token limit becomes 429.</summary>
internal sealed class AuthorizationProblems(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext http, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Challenged)
        {
            if (http.Items[FailedAuthenticationLimiter.LimitedItem] is TimeSpan retryAfter)
            {
                await RateLimits.WriteProblemAsync(http, retryAfter, "Too many requests with invalid credentials from your address; retry after the interval in the Retry-After header.");
                return;
            }
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await problems.WriteAsync(new() { HttpContext = http, ProblemDetails = {
                Status = StatusCodes.Status401Unauthorized,
                Detail = "Sign in (POST /api/v1/session), or send a valid API token as 'Authorization: Bearer okr_…' (or as the password of Basic auth)." } });
            return;
        }
        if (result.Forbidden)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problems.WriteAsync(new() { HttpContext = http, ProblemDetails = {
                Status = StatusCodes.Status403Forbidden,
                Detail = Caller.Of(http).Kind == CallerKind.Token
                    ? "This API token's scopes, or its owner's role, do not allow this request."
                    : "Your role does not allow this request." } });
            return;
        }
        await _default.HandleAsync(next, http, policy, result);
    }
}

/// <summary>
/// An API token in a URL is refused before anything reads it: URLs end up in proxies' and servers' logs, so such a
/// token should be revoked, and the caller is told where a token belongs instead.
/// </summary>
public sealed class TokenInQueryRefusal(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var parameters = ApiTokens.InQuery(http.Request);
        if (parameters.Count == 0)
        {
            await next(http);
            return;
        }
        const string reason = "API tokens are never accepted in the query string: send it as 'Authorization: Bearer okr_…' or as the " +
                              "password of Basic auth. URLs are written to logs, so revoke or rotate this token.";
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await problems.WriteAsync(new() { HttpContext = http, ProblemDetails = new HttpValidationProblemDetails(parameters.ToDictionary(p => p, _ => new[] { reason }))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "API token in the query string",
            Detail = reason,
            Extensions = { ["code"] = Errors.ProblemResponses.TokenInQuery },
        } });
    }
}

/// <summary>
/// CSRF protection for writes authenticated by the session cookie (double submit, ASP.NET Core antiforgery): the
/// request token travels in the readable XSRF-TOKEN cookie and must come back in the X-XSRF-TOKEN header. Bearer
/// requests need none: a browser never attaches an Authorization header on its own.
/// </summary>
public sealed class Csrf(RequestDelegate next, IAntiforgery antiforgery, IProblemDetailsService problems)
{
    public const string HeaderName = "X-XSRF-TOKEN";
    public const string CookieName = "XSRF-TOKEN";

    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method)
            && http.User.Identity?.AuthenticationType == SessionAuthenticationHandler.SchemeName
            && http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null
            && !await IsValidAsync(http))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problems.WriteAsync(new() { HttpContext = http, ProblemDetails = {
                Status = StatusCodes.Status403Forbidden,
                Detail = $"The {HeaderName} header is missing or does not match: send back the value of the {CookieName} cookie that GET /api/v1/session sets.",
                Extensions = { ["code"] = Errors.ProblemResponses.CsrfTokenInvalid } } });
            return;
        }
        await next(http);
    }

    // Without the header, antiforgery looks for the token in a form body, and refuses one it cannot read by throwing.
    private async Task<bool> IsValidAsync(HttpContext http)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>Issues a fresh token pair for the caller now on the context (after sign-in: the new person).</summary>
    public static void IssueToken(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Cookies.Append(CookieName, tokens.RequestToken!, new CookieOptions
        {
            HttpOnly = false,   // the SPA reads it to echo it in the header; that is the point
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
        });
    }
}
