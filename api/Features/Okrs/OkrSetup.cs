using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>The OKR area's configuration (validated at start) and its shared reader.</summary>
public static class OkrSetup
{
    public static IServiceCollection AddOkrs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OkrOptions>().Bind(configuration.GetSection("Okrs"))
            .Validate(o => o.OnTrackTolerance >= 0 && o.AtRiskTolerance >= o.OnTrackTolerance && o.AtRiskTolerance <= 1,
                "Okrs: 0 ≤ OnTrackTolerance ≤ AtRiskTolerance ≤ 1.")
            .Validate(o => o.StaleAfterDays >= 1, "Okrs: StaleAfterDays must be at least 1.")
            .Validate(o => o.HealthCheck is { MaxObjectivesPerOwner: >= 1, MinKeyResults: >= 0, MaxLinkedKpis: >= 0, MaxAlignmentLevels: >= 1 }
                && o.HealthCheck.MaxKeyResults >= o.HealthCheck.MinKeyResults,
                "Okrs:HealthCheck: MaxObjectivesPerOwner ≥ 1, 0 ≤ MinKeyResults ≤ MaxKeyResults, MaxLinkedKpis ≥ 0, MaxAlignmentLevels ≥ 1.")
            .ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<OkrOptions>>().Value);
        services.AddSingleton<OkrReader>();
        return services;
    }
}
