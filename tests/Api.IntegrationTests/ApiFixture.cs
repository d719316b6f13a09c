using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OkrKpi.Api.Infrastructure.Data;
using Respawn;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>One API and one database for the whole assembly; each test starts from empty tables.</summary>
[SetUpFixture]
public sealed class ApiFixture
{
    private static WebApplicationFactory<Program> _factory = null!;
    private static Respawner _respawner = null!;

    internal static HttpClient Api { get; private set; } = null!;
    internal static TestDatabase Database { get; private set; } = null!;
    internal static WebApplicationFactory<Program> Factory => _factory;
    internal static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 7, 15, 9, 30, 0, TimeSpan.Zero));

    [OneTimeSetUp]
    public async Task StartApi()
    {
        Database = TestDatabase.FromEnvironment();
        Database.Migrate();

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseEnvironment("Production")
            .UseSetting("Database:Provider", Database.ProviderName)
            .UseSetting("ConnectionStrings:OkrKpi", Database.ConnectionString)
            .UseSetting("Demo:Enabled", "false")
            // A loaded CI machine can queue 50 parallel writers for more than the default 2 s; the busy
            // tests still expect their 503 well within 10 s.
            .UseSetting("Database:BusyTimeoutSeconds", "4")
            // Every request of the run comes from one address (the test server has none), so the per-address limits
            // would turn a later test's 401 into a 429; RateLimitTests shows them on an API of its own.
            .UseSetting("RateLimits:SignInPerAddressPerMinute", "100000")
            .UseSetting("RateLimits:FailedTokenAuthenticationsPerAddressPerMinute", "100000")
            // The whole suite writes with one admin token, faster than the shipped 6,000 writes a minute allows.
            .UseSetting("RateLimits:WritesPerTokenPerMinute", "10000000")
            // Webhook tests deliver to a receiver on this machine, and their retries need not wait a second.
            .UseSetting("Webhooks:AllowedNetworks:0", "127.0.0.1/32")
            .UseSetting("Webhooks:RetryBaseDelayMs", "20")
            .UseSetting("Webhooks:PollIntervalMs", "100")
            .UseSetting("Webhooks:PublicBaseUrl", "https://okr.example.com")
            .ConfigureLogging(logging => logging.AddProvider(new CapturedLogs()).SetMinimumLevel(LogLevel.Debug))
            .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock)));
        Api = Callers.Client(Callers.AdminToken);

        await using var connection = await Database.OpenAsync();
        _respawner = await Database.CreateRespawnerAsync(connection);
    }

    internal static async Task ResetDatabaseAsync()
    {
        await using DbConnection connection = await Database.OpenAsync();
        await _respawner.ResetAsync(connection);
        await Callers.SeedAdminAsync(connection);
        // Emptying the tables is a write the API did not make: its cached reads must not outlive it.
        _factory.Services.GetRequiredService<LocalWrites>().Changed();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        var validated = Testing.ContractCheckingHandler.Validated;
        TestContext.Progress.WriteLine($"Contract: {validated} answers checked against openapi.yaml.");
        Directory.CreateDirectory(Testing.RepositoryFiles.PathOf("artifacts"));
        await File.WriteAllTextAsync(Testing.RepositoryFiles.PathOf("artifacts", "contract-answers.txt"), $"{validated}\n");
        Api.Dispose();
        await _factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
