using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Demo;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// Migrates (unless switched off), makes sure the configured admin exists, and seeds the demo organisation and people
/// when asked to. It runs on another core while the request pipeline is built and the server binds (~40 ms off every
/// cold start; make bench, B10). The host has started only once it is done, and fails to start when it fails, as
/// before; until then requests wait for it, all but liveness, which answers before them (see <see cref="WaitForIt"/>).
/// </summary>
public sealed class DatabasePreparation : IHostedLifecycleService
{
    private Task _completion = Task.CompletedTask;

    public Task Completion => _completion;

    public static void Begin(WebApplication app) => app.Services.GetRequiredService<DatabasePreparation>().Begin(() => PrepareAsync(app));

    internal void Begin(Func<Task> prepare) => _completion = Task.Run(prepare);

    /// <summary>Holds each request until the database is prepared (at once, after start-up).</summary>
    public static void WaitForIt(IApplicationBuilder app)
    {
        var preparation = app.ApplicationServices.GetRequiredService<DatabasePreparation>();
        app.Use(next => async http =>
        {
            await preparation.Completion;
            await next(http);
        });
    }

    private static async Task PrepareAsync(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
            app.Services.GetRequiredService<Migrator>().Migrate();

        await using (var bootstrap = app.Services.CreateAsyncScope())
            await ActivatorUtilities.CreateInstance<AdminBootstrap>(bootstrap.ServiceProvider).EnsureAsync(app.Lifetime.ApplicationStopping);

        if (app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedOnceAsync(app.Lifetime.ApplicationStopping);
            await ActivatorUtilities.CreateInstance<DemoPeople>(scope.ServiceProvider).SeedOnceAndPrintAsync(app.Lifetime.ApplicationStopping);
        }
    }

    // After every hosted service's StartAsync, the server's included: the server listens while this finishes.
    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => _completion.WaitAsync(cancellationToken);

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
