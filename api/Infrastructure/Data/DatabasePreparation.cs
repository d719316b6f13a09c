using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Demo;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// Migrates (unless switched off), makes sure the configured admin exists, and seeds the demo organisation and people
/// when asked to, as the host starts: registered before the other hosted services, it is done before they start (Data
/// Protection's reads its key ring from the database) and before the server listens, so a server that answers has its
/// database ready. When it fails, the host does not start and the process stops with the error.
/// </summary>
public sealed class DatabasePreparation(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
            services.GetRequiredService<Migrator>().Migrate();

        await using (var bootstrap = services.CreateAsyncScope())
            await ActivatorUtilities.CreateInstance<AdminBootstrap>(bootstrap.ServiceProvider).EnsureAsync(ct);

        if (services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedOnceAsync(ct);
            await ActivatorUtilities.CreateInstance<DemoPeople>(scope.ServiceProvider).SeedOnceAndPrintAsync(ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
