using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>
/// SQLite writes of this process take turns at one queue, and the turn is held only by the queue while it runs a
/// write. A write started inside another write cannot wait for the turn its caller holds: it joins the caller's
/// transaction, and commits or rolls back with it.
/// </summary>
public sealed class SqliteWriteQueueTests : IntegrationTest
{
    private static SqliteWriteQueue Queue => ApiFixture.Factory.Services.GetRequiredService<SqliteWriteQueue>();

    [SetUp]
    public void OnlyOnSqlite()
    {
        if (ApiFixture.Database.Provider != DatabaseProvider.Sqlite) Assert.Ignore("The write queue is for SQLite only.");
    }

    [Test]
    public async Task A_group_write_started_inside_a_write_of_its_own_joins_it_instead_of_waiting_for_the_turn()
    {
        var clock = Stopwatch.StartNew();

        var names = await Queue.WriteAloneAsync(async (connection, transaction, now) =>
        {
            await InsertTeamAsync(connection, transaction, "Outer", now);
            await Queue.WriteAsync((inner, innerTransaction, innerNow) => InsertTeamAsync(inner, innerTransaction, "Inner", innerNow), CancellationToken.None);
            return (await TeamNamesAsync(connection, transaction), true);
        }, CancellationToken.None);

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "the inner write waited for the turn its caller held");
        Assert.That(names, Is.EqualTo(new[] { "Inner", "Outer" }), "the inner write ran in the caller's transaction");
        Assert.That(await CommittedTeamNamesAsync(), Is.EqualTo(new[] { "Inner", "Outer" }));
    }

    [Test]
    public async Task A_write_of_its_own_started_inside_a_group_write_joins_it_instead_of_waiting_for_the_turn()
    {
        var clock = Stopwatch.StartNew();

        await Queue.WriteAsync(async (connection, transaction, now) =>
        {
            await InsertTeamAsync(connection, transaction, "Outer", now);
            return await Queue.WriteAloneAsync(async (inner, innerTransaction, innerNow) => (await InsertTeamAsync(inner, innerTransaction, "Inner", innerNow), true), CancellationToken.None);
        }, CancellationToken.None);

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "the inner write waited for the turn its caller held");
        Assert.That(await CommittedTeamNamesAsync(), Is.EqualTo(new[] { "Inner", "Outer" }));
    }

    [Test]
    public async Task An_inner_write_that_fails_rolls_back_alone_and_a_failed_outer_write_takes_the_inner_one_with_it()
    {
        await Queue.WriteAloneAsync(async (connection, transaction, now) =>
        {
            await InsertTeamAsync(connection, transaction, "Kept", now);
            var inner = await FailureOf(() => Queue.WriteAsync<int>(async (inner, innerTransaction, innerNow) =>
            {
                await InsertTeamAsync(inner, innerTransaction, "Rolled back", innerNow);
                throw new InvalidOperationException("refused");
            }, CancellationToken.None));
            Assert.That(inner, Is.InstanceOf<InvalidOperationException>());
            return (0, true);
        }, CancellationToken.None);
        var outer = await FailureOf(() => Queue.WriteAsync<int>(async (connection, transaction, now) =>
        {
            await Queue.WriteAloneAsync(async (inner, innerTransaction, innerNow) => (await InsertTeamAsync(inner, innerTransaction, "Inner of a failed write", innerNow), true), CancellationToken.None);
            throw new InvalidOperationException("refused");
        }, CancellationToken.None));
        Assert.That(outer, Is.InstanceOf<InvalidOperationException>());

        Assert.That(await CommittedTeamNamesAsync(), Is.EqualTo(new[] { "Kept" }));
    }

    [Test]
    public async Task Every_write_waiting_for_a_turn_held_past_the_busy_timeout_fails_as_busy_and_the_queue_moves_on_after()
    {
        await using (await HoldTheTurnAsync())
        {
            Assert.That(await FailureOf(() => Queue.WriteAsync((c, t, now) => InsertTeamAsync(c, t, "Late", now), CancellationToken.None)),
                Is.InstanceOf<DatabaseBusyException>());
            Assert.That(await FailureOf(() => Queue.WriteAloneAsync(async (c, t, now) => (await InsertTeamAsync(c, t, "Late alone", now), true), CancellationToken.None)),
                Is.InstanceOf<DatabaseBusyException>());
        }

        await Queue.WriteAsync((c, t, now) => InsertTeamAsync(c, t, "On time", now), CancellationToken.None);

        Assert.That(await CommittedTeamNamesAsync(), Is.EqualTo(new[] { "On time" }));
    }

    [Test]
    public async Task The_writes_of_one_transaction_share_a_statement_each_with_its_own_values_even_after_one_of_them_failed()
    {
        const string sql = "INSERT INTO Team (Id, Name, NameNormalized, ParentTeamId, Version, CreatedAt, UpdatedAt) VALUES ($id, $name, $normalized, NULL, 1, $now, $now)";
        string[] parameters = ["$id", "$name", "$normalized", "$now"];
        var shared = new List<SqliteRowStatement>();
        int Insert(DbConnection connection, DbTransaction transaction, DateTimeOffset now, string name)
        {
            using var insert = SqliteWriteQueue.Statement(connection, transaction, sql, parameters);
            shared.Add(insert);
            insert.Bind(0, Database.SqliteText(Guid.CreateVersion7()));
            insert.Bind(1, name);
            insert.Bind(2, name.ToLowerInvariant());
            insert.Bind(3, Database.SqliteText(now));
            return insert.Execute();
        }

        await Queue.WriteAloneAsync(async (connection, transaction, now) =>
        {
            Insert(connection, transaction, now, "First");
            var repeated = await FailureOf(() => Queue.WriteAsync((inner, innerTransaction, innerNow) =>
                Task.FromResult(Insert(inner, innerTransaction, innerNow, "First")), CancellationToken.None));
            Assert.That(repeated, Is.Not.Null, "the repeated name was refused");
            Insert(connection, transaction, now, "Second");
            return (0, true);
        }, CancellationToken.None);

        Assert.That(await CommittedTeamNamesAsync(), Is.EqualTo(new[] { "First", "Second" }));
        Assert.That(shared.Distinct().Count(), Is.EqualTo(1), "the statement was prepared once for the transaction");
        await using var connection = await ApiFixture.Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        using (var own = SqliteWriteQueue.Statement(connection, transaction, sql, parameters))
            Assert.That(own.Shared, Is.False, "outside a write of the queue a statement is the caller's own");
        Assert.That(shared.All(s => s.Shared), Is.True);
    }

    private static async Task<Exception?> FailureOf(Func<Task> write)
    {
        try
        {
            await write();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Holds the queue's turn, as a long import does, until disposed.</summary>
    internal static async Task<IAsyncDisposable> HoldTheTurnAsync()
    {
        var holding = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var write = Queue.WriteAloneAsync(async (_, _, _) =>
        {
            holding.SetResult();
            await release.Task;
            return (0, false);
        }, CancellationToken.None);
        await holding.Task;
        return new Release(release, write);
    }

    private sealed class Release(TaskCompletionSource release, Task write) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            release.SetResult();
            await write;
        }
    }

    private static Task<int> InsertTeamAsync(DbConnection connection, DbTransaction transaction, string name, DateTimeOffset now) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO Team (Id, Name, NameNormalized, ParentTeamId, Version, CreatedAt, UpdatedAt) VALUES (@Id, @Name, @Normalized, NULL, 1, @Now, @Now)",
            new { Id = Guid.CreateVersion7(), Name = name, Normalized = name.ToLowerInvariant(), Now = now }, transaction));

    private static async Task<string[]> TeamNamesAsync(DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<string>(new CommandDefinition("SELECT Name FROM Team ORDER BY Name", transaction: transaction))).ToArray();

    private static async Task<string[]> CommittedTeamNamesAsync()
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        return await TeamNamesAsync(connection, null);
    }
}
