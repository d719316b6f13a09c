using System.Data.Common;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using OkrKpi.Api.Infrastructure.Http;

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
                !ApiTokens.TryReadBearer(http.Request, out var bearer) ? SessionAuthenticationHandler.SchemeName
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

        services.AddDataProtection().SetApplicationName("OkrKpi");
        services.AddOptions<KeyManagementOptions>().Configure<DbDataSource>((options, db) => options.XmlRepository = new DatabaseXmlRepository(db));
        services.AddAntiforgery(options =>
        {
            options.HeaderName = Csrf.HeaderName;
            options.Cookie.Name = "okrkpi-csrf";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Data Protection's hosted service reads (on a new database: creates and stores) the key ring before the first
        // request; only antiforgery uses it here, so it is read when first needed instead of on every start.
        // (AddAntiforgery registers Data Protection again, hence here, after it.)
        if (services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService") is { } eager)
            services.Remove(eager);
        services.AddRateLimits(configuration);
        return services;
    }

    public static WebApplication UseAccessControl(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<Csrf>();
        // Built by the first request that gets here (readiness or the API, never liveness, which is answered before):
        // the authorization middleware's constructor builds every endpoint (~110, with their JSON metadata) for its
        // policy cache, and the rate limiter's starts its limiters; together they held every cold start ~70 ms before
        // the server listened (make bench, B10).
        ((IApplicationBuilder)app).Properties[AuthorizationMiddlewareSetKey] = true;
        app.UseBuiltOnFirstRequest(branch =>
        {
            branch.UseRateLimiter();
            branch.UseAuthorization();
        });
        return app;
    }

    // UseAuthorization's marker (internal to ASP.NET Core). Without it WebApplication would add an authorization
    // middleware of its own, built eagerly, since the call above happens on a branch after the pipeline is built.
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";
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
                Detail = "Sign in (POST /api/v1/session), or send a valid API token as 'Authorization: Bearer okr_…'." } });
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
/// CSRF protection for writes authenticated by the session cookie (double submit, ASP.NET Core antiforgery): the
/// request token travels in the readable XSRF-TOKEN cookie and must come back in the X-XSRF-TOKEN header. Bearer
/// requests need none: a browser never attaches an Authorization header on its own.
/// </summary>
public sealed class Csrf(RequestDelegate next)
{
    public const string HeaderName = "X-XSRF-TOKEN";
    public const string CookieName = "XSRF-TOKEN";

    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method)
            && http.User.Identity?.AuthenticationType == SessionAuthenticationHandler.SchemeName
            && http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null
            // Resolved here, not in the constructor: building antiforgery and Data Protection costs every cold start
            // ~10 ms before the first request, and only cookie-authenticated writes need them (make bench, B10).
            && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new() { HttpContext = http, ProblemDetails = {
                Status = StatusCodes.Status403Forbidden,
                Detail = $"The {HeaderName} header is missing or does not match: send back the value of the {CookieName} cookie that GET /api/v1/session sets.",
                Extensions = { ["code"] = Errors.ProblemResponses.CsrfTokenInvalid } } });
            return;
        }
        await next(http);
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
