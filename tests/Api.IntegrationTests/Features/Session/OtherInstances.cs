using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>Another instance of the API on the test database, as a second server behind a balancer (or a restart) would be.</summary>
public static class OtherInstances
{
    /// <summary>Starts it at once, so its start-up work (migration, admin bootstrap, demo seeding) is done on return.</summary>
    public static WebApplicationFactory<Program> Start(params (string Key, string Value)[] settings)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production")
                .UseSetting("Database:Provider", ApiFixture.Database.ProviderName)
                .UseSetting("ConnectionStrings:OkrKpi", ApiFixture.Database.ConnectionString)
                .UseSetting("Demo:Enabled", "false")
                .UseSetting("Database:BusyTimeoutSeconds", "4")
                .ConfigureLogging(logging => logging.AddProvider(new CapturedLogs()).SetMinimumLevel(LogLevel.Debug))
                .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(ApiFixture.Clock));
            foreach (var (key, value) in settings) host.UseSetting(key, value);
        });
        _ = factory.Server;
        return factory;
    }
}
