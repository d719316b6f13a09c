namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>
/// Builds every endpoint (request delegates, metadata, JSON contracts: ~100 ms of one core in a new process) on the
/// thread pool once the server listens, so that neither start-up nor liveness waits for it (make bench, B10) and the
/// first API request seldom does. Readiness passes through authorization, which needs the endpoints, so a ready
/// instance has them built.
/// </summary>
public static class RouteTable
{
    public static void BuildRouteTableOnceListening(this WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => Build(app.Services)));

    private static void Build(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<EndpointDataSource>().Endpoints;
        }
        catch (Exception e)
        {
            // Not fatal here: the first request that needs the endpoints builds them again, and fails as loudly.
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RouteTable)).LogError(e, "Building the route table after start-up failed");
        }
    }
}
