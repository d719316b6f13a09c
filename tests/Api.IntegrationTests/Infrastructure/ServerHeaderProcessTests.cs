namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>The real server (Kestrel, in its own process) does not say which server software answers.</summary>
[Category("Process")]
public sealed class ServerHeaderProcessTests
{
    private string _database = null!;

    [SetUp]
    public void CreateDatabaseFile() => _database = ApiProcess.NewDatabaseFile("server-header");

    [TearDown]
    public void DeleteDatabaseFile() => ApiProcess.DeleteDatabaseFile(_database);

    [Test]
    public async Task Responses_carry_no_server_header()
    {
        using var server = await ApiProcess.StartAsync(_database);

        foreach (var path in new[] { "/health/live", "/api/v1/kpis", "/api/v1/no-such-thing" })
        {
            using var response = await server.Client.GetAsync(path);

            Assert.That(response.Headers.Server, Is.Empty, $"{path} answered {(int)response.StatusCode} with Server: {response.Headers.Server}");
        }
    }
}
