namespace OkrKpi.Api.Features.Notifications;

/// <summary>The <c>Webhooks</c> configuration section (docs/webhooks.md has the table).</summary>
public sealed class NotificationOptions
{
    /// <summary>Whether this instance runs the delivery worker and the sweep (any number of instances may; one works at a time).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How often the worker looks for another instance's events; this instance's own commits wake it at once.</summary>
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>Attempts of one delivery round (the first try and its retries), with exponential backoff and jitter.</summary>
    public int AttemptsPerRound { get; set; } = 3;

    /// <summary>The backoff's first delay between attempts of a round; it doubles per attempt.</summary>
    public int RetryBaseDelayMs { get; set; } = 1000;

    /// <summary>A failed round is tried again this long later, doubling per round, until <see cref="MaxRounds"/>.</summary>
    public int RoundBaseDelaySeconds { get; set; } = 60;

    public int MaxRounds { get; set; } = 8;

    public int AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>Bytes of a receiver's answer that are read and kept in the delivery log; the rest is never read.</summary>
    public int MaxResponseBytes { get; set; } = 1024;

    /// <summary>Failed rounds in a row after which a subscription is disabled (and <c>webhook.disabled</c> emitted).</summary>
    public int DisableAfterFailures { get; set; } = 5;

    /// <summary>How long a rotated-out secret still signs, so receivers can switch without missing a message.</summary>
    public int SecretOverlapHours { get; set; } = 24;

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.0.5.0/24</c> or <c>127.0.0.1/32</c>) that receivers may resolve to although they are
    /// loopback, private, link-local or otherwise not public. Empty: only public addresses.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>How often the sweep looks for late KPIs and stale key results.</summary>
    public int SweepIntervalSeconds { get; set; } = 300;

    /// <summary>The link back in Slack and Teams messages, e.g. https://okr.example.com; none when empty.</summary>
    public string? PublicBaseUrl { get; set; }

    public int LeaseSeconds { get; set; } = 60;
}
