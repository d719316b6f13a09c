namespace OkrKpi.Api.Infrastructure.Data;

public sealed class OrganisationOptions
{
    /// <summary>IANA (or Windows) time zone id in which days, weeks, months and so on begin. Default UTC.</summary>
    public string TimeZone { get; set; } = "UTC";
}

/// <summary>Facts about the organisation every period calculation needs; built once from configuration.</summary>
public sealed record Organisation(TimeZoneInfo TimeZone)
{
    public static Organisation From(OrganisationOptions options)
    {
        try
        {
            return new Organisation(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone));
        }
        catch (TimeZoneNotFoundException e)
        {
            throw new InvalidOperationException($"Organisation:TimeZone '{options.TimeZone}' is not a time zone this machine knows.", e);
        }
    }
}
