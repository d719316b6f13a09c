using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The real server in its own process listens while it prepares the database, and readiness says so. Here the preparation is held up by
/// another connection's exclusive lock on the file, as a long migration or a busy database would hold it.
/// </summary>
[Category("Process")]
public sealed class DatabasePreparationProcessTests
{
    private string _database = null!;

    [SetUp]
    public void CreateDatabaseFile() => _database = ApiProcess.NewDatabaseFile("preparation");

    [TearDown]
    public void DeleteDatabaseFile() => ApiProcess.DeleteDatabaseFile(_database);

    [Test]
    public async Task Liveness_answers_readiness_reports_the_preparation_and_api_requests_wait_until_the_database_is_prepared()
    {
        ApiProcess server;
        Task<HttpResponseMessage> request;
        await using (var blocker = new SqliteConnection($"Data Source={_database};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using (var exclusive = blocker.CreateCommand())
            {
                exclusive.CommandText = "BEGIN EXCLUSIVE";
                await exclusive.ExecuteNonQueryAsync();
            }
            server = ApiProcess.Launch(_database, "--Database:BusyTimeoutSeconds=60");

            await server.WaitFor200Async("/health/live");
            using var ready = await server.Client.GetAsync("/health/ready").WaitAsync(ApiProcess.Patience);
            var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), server.Output);
            Assert.That(body["checks"]!["database"]!.GetValue<string>(), Is.EqualTo("unhealthy"));
            Assert.That(body["reasons"]!["database"]!.GetValue<string>(), Does.Contain("being prepared"));

            request = server.Client.GetAsync("/api/v1/teams");
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.That(request.IsCompleted, Is.False, $"an API request was answered while the database could not be prepared.\n{server.Output}");
        }

        using (server)
        {
            await server.WaitFor200Async("/health/ready");
            // The fixture's token is not in this new database: answered, and refused, once it is prepared.
            using var response = await request.WaitAsync(ApiProcess.Patience);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), server.Output);
        }
        Assert.That(await AppliedMigrationsAsync(), Is.EqualTo(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "db", "sqlite"), "*.sql").Length));
    }

    private async Task<long> AppliedMigrationsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM SchemaVersions";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
