using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Demo;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// Migrates (unless switched off), makes sure the configured admin exists, and seeds the demo organisation and people
/// when asked to, once the server listens: liveness is answered meanwhile (a long migration is not a hung process), and
/// start-up no longer spends ~35 ms on it before the server listens (make bench, B10). The host has started only once
/// it is done, and fails to start when it fails, as before; until then requests wait for it (see <see cref="WaitForIt"/>),
/// all but liveness, which is answered before them.
/// </summary>
public sealed class DatabasePreparation(IServiceProvider services, IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _done.Task;

    /// <summary>Holds each request until the database is prepared; after start-up it passes requests straight on.</summary>
    public static void WaitForIt(IApplicationBuilder app)
    {
        var preparation = app.ApplicationServices.GetRequiredService<DatabasePreparation>();
        app.Use(next => http => preparation.Completion.IsCompletedSuccessfully ? next(http) : WaitThenAsync(preparation.Completion, next, http));
    }

    private static async Task WaitThenAsync(Task preparation, RequestDelegate next, HttpContext http)
    {
        await preparation;
        await next(http);
    }

    // After every hosted service's StartAsync, the server's included, so the server already listens.
    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => RunAsync(() => PrepareAsync(lifetime.ApplicationStopping));

    internal async Task RunAsync(Func<Task> prepare)
    {
        try
        {
            await prepare();
            _done.SetResult();
        }
        catch (Exception e)
        {
            _done.SetException(e);
            throw;
        }
    }

    private async Task PrepareAsync(CancellationToken ct)
    {
        // Here rather than with the services: Dapper's static set-up loads System.Private.Xml and four more assemblies
        // (~10 ms of each cold start), and no query runs before this is done (requests wait for it).
        Database.RegisterTypeHandlers();
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

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
