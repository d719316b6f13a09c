using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Demo;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// Migrates (unless switched off), makes sure the configured admin exists, and seeds the demo organisation and people
/// when asked to, once the server listens: liveness answers meanwhile (a long migration is not a hung process) and
/// readiness says the database is being prepared. The host has started only once this is done, and fails to start
/// when it fails. Other requests that arrive meanwhile wait for it (see <see cref="WaitForIt"/>).
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
