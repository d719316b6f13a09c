using System.Data.Common;

namespace OkrKpi.Api.Infrastructure.Idempotency;

/// <summary>Deletes expired idempotency records hourly, so the table holds about one retention period of keys.</summary>
public sealed class IdempotencyCleanup(DbDataSource db, TimeProvider clock, ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                var deleted = await IdempotencyRecords.DeleteExpiredAsync(connection, clock.GetUtcNow(), stoppingToken);
                if (deleted > 0) logger.LogInformation("Deleted {Count} expired idempotency records", deleted);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                // A busy database now is no reason to stop cleaning later.
                logger.LogWarning(e, "Idempotency cleanup failed; will retry in {Interval}", Interval);
            }
        }
    }
}
