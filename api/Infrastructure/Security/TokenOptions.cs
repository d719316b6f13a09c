namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>The section <c>Tokens</c>: how API tokens are rotated.</summary>
public sealed class TokenOptions
{
    public const int MaxRotationGraceHours = 720;

    /// <summary>
    /// How long a rotated token's previous secret keeps working beside the new one (0 to 720 hours, default 24), so an
    /// integration can be switched over without a failed delivery. Never beyond the token's own expiry.
    /// </summary>
    public int RotationGraceHours { get; set; } = 24;
}
