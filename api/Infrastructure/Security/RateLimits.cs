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
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, ct) => WriteRejectionAsync(context.HttpContext, context.Lease, ct);
            limiter.AddPolicy(SignInPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                Address(http), _ => Window(options.SignInPerAddressPerMinute)));
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) return RateLimitPartition.GetNoLimiter("");
                var caller = Caller.Of(http);
                return caller.Kind == CallerKind.Token
                    ? RateLimitPartition.GetFixedWindowLimiter(caller.TokenPublicId!, _ => Window(options.WritesPerTokenPerMinute))
                    : RateLimitPartition.GetNoLimiter("");
            });
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
