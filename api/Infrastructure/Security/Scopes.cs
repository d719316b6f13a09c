namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>
/// What an API token may do. A token acts for the person who created it, so it can do what both its scopes
/// and that person's current role allow: lowering the role narrows every token at once.
/// </summary>
public static class Scopes
{
    public const string KpisRead = "kpis:read";
    public const string OkrsRead = "okrs:read";
    public const string MeasurementsWrite = "measurements:write";
    public const string KpisWrite = "kpis:write";
    public const string OkrsWrite = "okrs:write";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [KpisRead, OkrsRead, MeasurementsWrite, KpisWrite, OkrsWrite, Admin];

    /// <summary>The least role a person needs to hold (and so to hand to a token) each scope.</summary>
    public static Role RoleNeeded(string scope) => scope switch
    {
        KpisRead or OkrsRead => Role.Viewer,
        MeasurementsWrite or KpisWrite or OkrsWrite => Role.Editor,
        _ => Role.Admin,
    };
}
