namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>The caller has used up a rate limit (429); <see cref="RetryAfter"/> says when to try again.</summary>
public sealed class TooManyRequestsException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
