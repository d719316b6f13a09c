using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>
/// Limits per fixed window of one minute, per instance: with N instances behind a balancer a caller gets up to N
/// times these. That bounds guessing and runaway scripts, which is their purpose; exact global counts would cost a
/// database write per request.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Sign-in attempts for one email address, whoever makes them.</summary>
    public int SignInPerAccountPerMinute { get; set; } = 10;

    /// <summary>Sign-in attempts from one client address, for any accounts.</summary>
    public int SignInPerAddressPerMinute { get; set; } = 30;

    /// <summary>Requests with an invalid API token from one client address; valid tokens from there are unaffected.</summary>
    public int FailedTokenAuthenticationsPerAddressPerMinute { get; set; } = 20;

    /// <summary>Writes (POST, PUT, PATCH, DELETE) by one API token.</summary>
    public int WritesPerTokenPerMinute { get; set; } = 6000;
}

public static class RateLimits
{
    public const string SignInPolicy = "sign-in";

    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new();
        services.AddSingleton(options);
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddSingleton<SignInLimiter>();
        services.AddSingleton<TokenWriteLimit>();
        services.AddOptions<RateLimiterOptions>().Configure<TokenWriteLimit>((limiter, writes) => limiter.GlobalLimiter = writes.Limiter);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, ct) => WriteRejectionAsync(context.HttpContext, context.Lease, ct);
            limiter.AddPolicy(SignInPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                Address(http), _ => Window(options.SignInPerAddressPerMinute)));
        });
        return services;
    }

    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    internal static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask WriteRejectionAsync(HttpContext http, RateLimitLease lease, CancellationToken ct)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        http.RequestServices.GetRequiredService<TokenWriteLimit>().AdvertiseExhausted(http, retryAfter);
        await WriteProblemAsync(http, retryAfter, "Too many requests; retry after the interval in the Retry-After header.");
    }

    public static async Task WriteProblemAsync(HttpContext http, TimeSpan retryAfter, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Detail = detail },
        });
    }
}

/// <summary>
/// Writes (POST, PUT, PATCH, DELETE) per API token, the limit the rate-limiter middleware applies to every endpoint.
/// It is held here rather than inside the middleware so that each write can tell its caller how much of the window
/// is left, with the RateLimit-Policy and RateLimit fields of the IETF draft "RateLimit header fields for HTTP":
/// a script pacing a bulk load reads them instead of running into 429. The fixed window's reset time is not
/// observable from the limiter, so `t` is sent only with a 429, where the refused lease carries it.
/// </summary>
public sealed class TokenWriteLimit(RateLimitOptions options) : IDisposable
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string Header = "RateLimit";
    public const string PolicyName = "writes";

    private readonly string _policy = $"\"{PolicyName}\";q={Math.Max(1, options.WritesPerTokenPerMinute)};w=60";

    public PartitionedRateLimiter<HttpContext> Limiter { get; } = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        Applies(http)
            ? RateLimitPartition.GetFixedWindowLimiter(Caller.Of(http).TokenPublicId!, _ => RateLimits.Window(options.WritesPerTokenPerMinute))
            : RateLimitPartition.GetNoLimiter(""));

    public static bool Applies(HttpContext http) =>
        !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && Caller.Of(http).Kind == CallerKind.Token;

    /// <summary>Runs after the rate limiter has taken this request's permit, so the remaining count includes it.</summary>
    public void Advertise(HttpContext http)
    {
        if (!Applies(http) || Limiter.GetStatistics(http) is not { } statistics) return;
        http.Response.Headers[PolicyHeader] = _policy;
        http.Response.Headers[Header] = $"\"{PolicyName}\";r={statistics.CurrentAvailablePermits}";
    }

    public void AdvertiseExhausted(HttpContext http, TimeSpan retryAfter)
    {
        // A sign-in refused by its own per-address policy says nothing about the caller's write quota.
        if (!Applies(http) || http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>() is not null) return;
        http.Response.Headers[PolicyHeader] = _policy;
        http.Response.Headers[Header] = $"\"{PolicyName}\";r=0;t={RateLimits.RetryAfterSeconds(retryAfter)}";
    }

    public void Dispose() => Limiter.Dispose();
}

/// <summary>Counts failed API-token authentications per client address; over the limit they answer 429 instead of 401.</summary>
public sealed class FailedAuthenticationLimiter(RateLimitOptions options) : IDisposable
{
    public const string LimitedItem = "okrkpi:auth-limited";

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        address => RateLimitPartition.GetFixedWindowLimiter(address, _ => RateLimits.Window(options.FailedTokenAuthenticationsPerAddressPerMinute)));

    /// <summary>Counts one failure; false when the address has used up its allowance (the caller then answers 429).</summary>
    public bool TryCount(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(RateLimits.Address(http));
        if (lease.IsAcquired) return true;
        http.Items[LimitedItem] = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>Counts sign-in attempts per account, whatever address they come from (the address limit is the endpoint's policy).</summary>
public sealed class SignInLimiter(RateLimitOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        account => RateLimitPartition.GetFixedWindowLimiter(account, _ => RateLimits.Window(options.SignInPerAccountPerMinute)));

    public void Count(string normalizedEmail)
    {
        using var lease = _limiter.AttemptAcquire(normalizedEmail);
        if (!lease.IsAcquired)
            throw new TooManyRequestsException("Too many sign-in attempts for this account; retry after the interval in the Retry-After header.",
                lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1));
    }

    public void Dispose() => _limiter.Dispose();
}
