using System.Net;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The real server in its own process prepares the database before it listens: here the preparation is held up by
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
    public async Task The_server_listens_once_the_database_is_prepared_and_is_ready_then()
    {
        ApiProcess server;
        await using (var blocker = await LockedAsync())
        {
            server = ApiProcess.Launch(_database, "--Database:BusyTimeoutSeconds=60");
            await Task.Delay(TimeSpan.FromSeconds(2));

            Assert.That(await AnswersAsync(server, "/health/live"), Is.False, $"the server answered before its database was prepared.\n{server.Output}");
        }

        using (server)
        {
            await server.WaitFor200Async("/health/ready");
            // The fixture's token is not in this new database: the API answers, and refuses it.
            using var response = await server.Client.GetAsync("/api/v1/teams");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), server.Output);
        }
        Assert.That(await AppliedMigrationsAsync(), Is.EqualTo(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "db", "sqlite"), "*.sql").Length));
    }

    [Test]
    public async Task A_preparation_that_fails_stops_the_process_with_the_error()
    {
        await using var blocker = await LockedAsync();

        using var server = ApiProcess.Launch(_database, "--Database:BusyTimeoutSeconds=1");

        Assert.That(await server.ExitAsync(ApiProcess.Patience), Is.Not.Zero, server.Output);
        Assert.That(server.Output, Does.Contain("locked").IgnoreCase, "the log says why");
    }

    /// <summary>A connection that holds the (new) database file exclusively until disposed.</summary>
    private async Task<SqliteConnection> LockedAsync()
    {
        var blocker = new SqliteConnection($"Data Source={_database};Pooling=False");
        await blocker.OpenAsync();
        await using var exclusive = blocker.CreateCommand();
        exclusive.CommandText = "BEGIN EXCLUSIVE";
        await exclusive.ExecuteNonQueryAsync();
        return blocker;
    }

    private static async Task<bool> AnswersAsync(ApiProcess server, string path)
    {
        try
        {
            using var response = await server.Client.GetAsync(path);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
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
