namespace OkrKpi.Api.Features.Okrs;

/// <summary>The configuration section "Okrs": health thresholds and when a key result goes stale.</summary>
public sealed class OkrOptions
{
    /// <summary>onTrack while progress ≥ expected − this.</summary>
    public decimal OnTrackTolerance { get; set; } = 0.1m;

    /// <summary>atRisk while progress ≥ expected − this (and below the onTrack band); offTrack below.</summary>
    public decimal AtRiskTolerance { get; set; } = 0.25m;

    /// <summary>A key result without a check-in (or KPI measurement) for more than this many days of an active cycle is stale.</summary>
    public int StaleAfterDays { get; set; } = 14;

    /// <summary>The thresholds of the OKR health check (section "Okrs:HealthCheck").</summary>
    public OkrHealthCheckOptions HealthCheck { get; set; } = new();
}

/// <summary>When the OKR health check warns; every rule and its default is in the README's table.</summary>
public sealed class OkrHealthCheckOptions
{
    /// <summary>An owner (team or person) with more objectives than this in one cycle is spread too thin.</summary>
    public int MaxObjectivesPerOwner { get; set; } = 5;

    /// <summary>An objective with fewer key results than this is not measured well enough.</summary>
    public int MinKeyResults { get; set; } = 2;

    /// <summary>An objective with more key results than this has lost focus.</summary>
    public int MaxKeyResults { get; set; } = 5;

    /// <summary>An objective watching more KPIs than this as health metrics has lost focus (three health metrics are usual).</summary>
    public int MaxLinkedKpis { get; set; } = 3;

    /// <summary>Levels of an alignment chain, the top objective included (company → department → team → person is 4).</summary>
    public int MaxAlignmentLevels { get; set; } = 4;

    /// <summary>A key result fed by a KPI with fewer of its periods in the key result's timeframe than this can hardly move.</summary>
    public int MinKpiPeriodsPerKeyResult { get; set; } = 2;

    /// <summary>A key result of at most a quarter aiming for this many times its start (or more) is an implausible jump.</summary>
    public decimal ImplausibleJumpFactor { get; set; } = 10m;

    /// <summary>The longest timeframe, in days, the implausible-jump rule looks at (a quarter).</summary>
    public int ImplausibleJumpWithinDays { get; set; } = 92;
}
