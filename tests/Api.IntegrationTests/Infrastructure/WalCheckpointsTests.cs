using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>SQLite's write-ahead log is copied into the database file in the background, never inside a writer's commit.</summary>
public sealed class WalCheckpointsTests : IntegrationTest
{
    [SetUp]
    public void OnlyOnSqlite() =>
        Assume.That(ApiFixture.Database.Provider, Is.EqualTo(DatabaseProvider.Sqlite), "the write-ahead log is SQLite's");

    [Test]
    public async Task The_api_connections_leave_checkpoints_to_the_background()
    {
        await using var connection = await ApiFixture.Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();

        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint"), Is.Zero);
    }

    [Test]
    public async Task Copies_what_a_write_appended_to_the_log_into_the_database_file_within_a_few_ticks()
    {
        await GivenKpiAsync("defect-rate");
        var response = await PushAsync("defect-rate", MeasurementBody("2026-07-14", JsonValue.Create(1.5)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var (written, _) = LogFrames();
        Assert.That(written, Is.GreaterThan(0), "the push appended to the log");

        var waited = Stopwatch.StartNew();
        var (logged, copied) = LogFrames();
        while (copied < logged && waited.Elapsed < 10 * WalCheckpoints.Interval)
        {
            await Task.Delay(50);
            (logged, copied) = LogFrames();
        }

        Assert.That(copied, Is.EqualTo(logged), $"after {waited.ElapsedMilliseconds} ms, {copied} of {logged} frames are in the database file");
    }

    /// <summary>
    /// The last frame committed to the log (mxFrame) and the last one copied into the database file (nBackfill), read
    /// from the WAL-index (the -shm file) as SQLite's file format documents it, so that looking does not checkpoint.
    /// </summary>
    private static (uint Logged, uint Copied) LogFrames()
    {
        using var shm = new FileStream(ApiFixture.Database.File + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[100];
        shm.ReadExactly(header);
        return (BitConverter.ToUInt32(header, 16), BitConverter.ToUInt32(header, 96));
    }
}
