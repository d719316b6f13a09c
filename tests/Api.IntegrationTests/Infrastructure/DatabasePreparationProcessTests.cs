using System.Net;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The real server in its own process listens while it prepares the database. Here the preparation is held up by
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
    public async Task Liveness_answers_while_the_database_is_being_prepared_and_readiness_waits_until_it_is()
    {
        ApiProcess server;
        Task<HttpResponseMessage> ready;
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
            ready = server.Client.GetAsync("/health/ready");
            await Task.Delay(TimeSpan.FromSeconds(1));

            Assert.That(ready.IsCompleted, Is.False, $"readiness answered while the database could not be prepared.\n{server.Output}");
        }

        using (server)
        {
            using var response = await ready.WaitAsync(ApiProcess.Patience);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), server.Output);
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
