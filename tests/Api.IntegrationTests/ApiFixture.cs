using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
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
            .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock)));
        Api = _factory.CreateClient();

        await using var connection = await Database.OpenAsync();
        _respawner = await Database.CreateRespawnerAsync(connection);
    }

    internal static async Task ResetDatabaseAsync()
    {
        await using DbConnection connection = await Database.OpenAsync();
        await _respawner.ResetAsync(connection);
        // Emptying the tables is a write the API did not make: its cached reads must not outlive it.
        _factory.Services.GetRequiredService<LocalWrites>().Changed();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        Api.Dispose();
        await _factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
