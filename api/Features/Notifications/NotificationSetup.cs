namespace OkrKpi.Api.Features.Notifications;

public static class NotificationSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection("Webhooks"))
            .Validate(o => o.AttemptsPerRound >= 1 && o.MaxRounds >= 1 && o.DisableAfterFailures >= 1 && o.AttemptTimeoutSeconds >= 1 && o.MaxResponseBytes >= 0,
                "Webhooks: AttemptsPerRound, MaxRounds, DisableAfterFailures and AttemptTimeoutSeconds must be at least 1.")
            .Validate(o => o.AllowedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Webhooks:AllowedNetworks must be CIDR networks, e.g. 10.0.5.0/24.")
            .ValidateOnStart();
        services.AddSingleton<OutboundAddressGuard>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<NotificationSweep>();
        WebhookSender.Configure(services);
        services.AddHostedService<NotificationWorker>();
        return services;
    }
}
