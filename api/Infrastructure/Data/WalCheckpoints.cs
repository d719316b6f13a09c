using System.Data.Common;
using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// Copies SQLite's write-ahead log into the database file from a background task instead of inside a writer's commit.
/// By default the commit that takes the log past 1,000 pages runs the checkpoint itself, copying pages and syncing
/// the database file while every other writer waits for it; that cost a batch writer about a third of its turn, and
/// a large import's answer waited for the copy of all its pages. Connections therefore open with
/// wal_autocheckpoint = 0 (<see cref="SqliteDataSource"/>) and this loop checkpoints PASSIVE, which never blocks
/// readers or writers, every <see cref="Interval"/>, and TRUNCATE when the application stops.
/// </summary>
public sealed class WalCheckpoints(DbDataSource db, IOptions<DatabaseOptions> options, ILogger<WalCheckpoints> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Provider != DatabaseProvider.Sqlite) return;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await CheckpointAsync("PASSIVE", stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A stopped application leaves an empty log behind, so the next start does not replay one.
        if (options.Value.Provider == DatabaseProvider.Sqlite) await CheckpointAsync("TRUNCATE", cancellationToken);
    }

    private async Task CheckpointAsync(string mode, CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode})";
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // A database that is busy or briefly unavailable now is checkpointed on a later tick.
            logger.LogDebug(e, "WAL checkpoint ({Mode}) did not run", mode);
        }
    }
}
