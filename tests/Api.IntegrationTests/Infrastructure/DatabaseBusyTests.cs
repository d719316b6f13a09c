using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>A write that cannot get SQLite's lock answers 503 with Retry-After within seconds, never a hang or a 500.</summary>
public sealed class DatabaseBusyTests : IntegrationTest
{
    [Test]
    public async Task Answers_503_with_retry_after_while_another_connection_holds_the_write_lock()
    {
        if (ApiFixture.Database.Provider != DatabaseProvider.Sqlite) Assert.Ignore("SQLite's file lock only.");
        await using var holder = new SqliteConnection(ApiFixture.Database.ConnectionString + ";Pooling=False");
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();   // BEGIN IMMEDIATE: takes the write lock
        var clock = Stopwatch.StartNew();

        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name = "Blocked" });

        clock.Stop();
        var problem = await ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("unavailable"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "a locked database must answer within a few seconds");
    }

    [Test]
    public async Task Answers_503_when_this_process_queue_of_writers_does_not_move_within_the_busy_timeout()
    {
        if (ApiFixture.Database.Provider != DatabaseProvider.Sqlite) Assert.Ignore("The write queue is for SQLite only.");
        await using var turn = await SqliteWriteQueueTests.HoldTheTurnAsync();

        var response = await Api.PostAsJsonAsync("/api/v1/kpis/defect-rate/measurements", new { period = "2026-07-14", value = 1.5 });

        await ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task Reads_do_not_queue_behind_writers()
    {
        if (ApiFixture.Database.Provider != DatabaseProvider.Sqlite) Assert.Ignore("The write queue is for SQLite only.");
        await using var turn = await SqliteWriteQueueTests.HoldTheTurnAsync();

        var response = await Api.GetAsync("/api/v1/teams");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Writes_again_once_the_lock_is_released()
    {
        if (ApiFixture.Database.Provider != DatabaseProvider.Sqlite) Assert.Ignore("SQLite's file lock only.");
        await using (var holder = new SqliteConnection(ApiFixture.Database.ConnectionString + ";Pooling=False"))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            await transaction.RollbackAsync();
        }

        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name = "Unblocked" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }
}
