using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>
/// Delivers the outbox. Woken at once by this instance's commits (<see cref="LocalWrites"/>) and every
/// <see cref="NotificationOptions.PollIntervalMs"/> for other instances' ones, it looks (reading only) for undispatched
/// events, due deliveries or a due sweep; when there is work it takes the <c>notifications</c> lease, so one instance at
/// a time works, then: runs the sweep (<see cref="NotificationSweep"/>); fans each new event out to the matching
/// subscriptions and to the alerts of the people who own or follow its subject (<see cref="EventFanOut"/>); and sends the
/// due deliveries (<see cref="WebhookSender"/>), recording every attempt. A round that fails is tried again later, with
/// the delay doubling per round; a subscription whose rounds fail <see cref="NotificationOptions.DisableAfterFailures"/>
/// times in a row is disabled, and <c>webhook.disabled</c> emitted. Delivery is at least once: an instance that dies
/// after sending and before recording leaves the delivery due, and the next holder sends it again (same webhook-id).
/// </summary>
internal sealed class NotificationWorker(DbDataSource db, Dialect dialect, SqliteWriteQueue sqlite, LocalWrites writes, TimeProvider clock,
    IOptions<NotificationOptions> options, WebhookSender sender, WebhookSecrets secrets, NotificationSweep sweep, ILogger<NotificationWorker> logger)
    : BackgroundService
{
    public const string LeaseName = "notifications";
    private const int BatchSize = 1000;
    private const int ParallelSends = 16;

    private const string AnyWorkSql = """
        SELECT CASE WHEN EXISTS (SELECT 1 FROM OutboxEvent WHERE DispatchedAt IS NULL)
                      OR EXISTS (SELECT 1 FROM WebhookDelivery WHERE Status = 'pending' AND NextAttemptAt <= @Now)
               THEN 1 ELSE 0 END
        """;

    private const string SqliteDueSql = """
        SELECT d.Id, d.SubscriptionId, d.EventId, d.Attempts, e.OccurredAt, e.Payload, s.Url, s.Format, s.Secret, s.PreviousSecret,
               s.PreviousSecretExpiresAt, s.ConsecutiveFailures, s.Name AS SubscriptionName
        FROM WebhookDelivery AS d
        INNER JOIN OutboxEvent AS e ON e.Id = d.EventId
        INNER JOIN WebhookSubscription AS s ON s.Id = d.SubscriptionId
        WHERE d.Status = 'pending' AND d.NextAttemptAt <= @Now AND s.Enabled = 1
        ORDER BY d.NextAttemptAt, d.Id
        LIMIT 500
        """;

    private const string DueSql = """
        SELECT TOP (500) d.Id, d.SubscriptionId, d.EventId, d.Attempts, e.OccurredAt, e.Payload, s.Url, s.Format, s.Secret, s.PreviousSecret,
               s.PreviousSecretExpiresAt, s.ConsecutiveFailures, s.Name AS SubscriptionName
        FROM WebhookDelivery AS d
        INNER JOIN OutboxEvent AS e ON e.Id = d.EventId
        INNER JOIN WebhookSubscription AS s ON s.Id = d.SubscriptionId
        WHERE d.Status = 'pending' AND d.NextAttemptAt <= @Now AND s.Enabled = 1
        ORDER BY d.NextAttemptAt, d.Id
        """;

    private const string InsertAttemptSql = """
        INSERT INTO WebhookAttempt (Id, DeliveryId, Number, AttemptedAt, StatusCode, LatencyMs, Succeeded, Error, ResponseBody)
        VALUES (@Id, @DeliveryId, @Number, @AttemptedAt, @StatusCode, @LatencyMs, @Succeeded, @Error, @ResponseBody)
        """;

    private const string DeliveredSql = """
        UPDATE WebhookDelivery SET Status = 'delivered', Attempts = Attempts + @Count, NextAttemptAt = NULL, DeliveredAt = @Now WHERE Id = @Id
        """;

    private const string RetryLaterSql = """
        UPDATE WebhookDelivery SET Status = @Status, Attempts = Attempts + @Count, NextAttemptAt = @NextAttemptAt WHERE Id = @Id
        """;

    private const string SubscriptionSucceededSql = "UPDATE WebhookSubscription SET ConsecutiveFailures = 0 WHERE Id = @Id AND ConsecutiveFailures <> 0";

    private const string SubscriptionFailedSql = """
        UPDATE WebhookSubscription SET ConsecutiveFailures = ConsecutiveFailures + 1 WHERE Id = @Id
        """;

    private const string DisableSql = """
        UPDATE WebhookSubscription
        SET Enabled = 0, DisabledReason = @Reason, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND Enabled = 1 AND ConsecutiveFailures >= @Limit
        """;

    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!options.Value.WorkerEnabled) return;
        // The first look comes a poll interval after start, or at this instance's first commit: the sweep and the
        // fan-out of events left from before can wait that long, and start-up and the first requests need the cores.
        var seen = writes.Version;
        var lastLook = System.Diagnostics.Stopwatch.GetTimestamp();
        var poll = TimeSpan.FromMilliseconds(options.Value.PollIntervalMs);
        while (!stop.IsCancellationRequested)
        {
            // Real time, not the clock: tests pin the clock, and the worker must still run.
            await Task.Delay(TimeSpan.FromMilliseconds(20), stop).ConfigureAwait(false);
            var version = writes.Version;
            if (version == seen && System.Diagnostics.Stopwatch.GetElapsedTime(lastLook) < poll) continue;
            seen = version;
            lastLook = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                while (await RunOnceAsync(stop)) { }
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                logger.LogWarning(e, "The notification worker failed a run; it tries again at its next look.");
            }
        }
    }

    /// <summary>One look and, when there is work and this instance holds the lease, one batch of it; true when it did some.</summary>
    internal async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var sweepDue = sweep.IsDue(now);
        if (!sweepDue)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(AnyWorkSql, new { Now = now }, cancellationToken: ct)) == 0) return false;
        }
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        if (!await WriteAsync((c, t, at) => JobLease.TryTakeAsync(c, t, LeaseName, _holder, at, lease, ct), ct)) return false;

        if (sweepDue) await WriteAsync((c, t, at) => sweep.RunAsync(c, t, at, ct), ct);
        var dispatched = await WriteAsync((c, t, at) => EventFanOut.RunAsync(c, t, dialect.Provider, at, BatchSize, ct), ct);
        var delivered = await DeliverDueAsync(ct);
        return dispatched + delivered > 0;
    }

    private async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        List<DueDelivery> due;
        await using (var connection = await db.OpenConnectionAsync(ct))
            due = (await connection.QueryAsync<DueDelivery>(new CommandDefinition(dialect.Choose(SqliteDueSql, DueSql), new { Now = clock.GetUtcNow() },
                cancellationToken: ct))).ToList();
        if (due.Count == 0) return 0;

        var outcomes = new (DueDelivery Delivery, IReadOnlyList<WebhookAttemptRecord> Attempts)[due.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, due.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = ct },
            async (i, token) => outcomes[i] = (due[i], await SendAsync(due[i], token)));
        await WriteAsync((c, t, now) => RecordAsync(c, t, now, outcomes, ct), ct);
        return due.Count;
    }

    private async Task<IReadOnlyList<WebhookAttemptRecord>> SendAsync(DueDelivery delivery, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var keys = new List<string> { secrets.Unprotect(delivery.Secret) };
        if (delivery.PreviousSecret is not null && delivery.PreviousSecretExpiresAt > now) keys.Add(secrets.Unprotect(delivery.PreviousSecret));
        var body = WebhookMessages.Body(Enum.Parse<WebhookFormat>(delivery.Format), delivery.Payload, options.Value.PublicBaseUrl);
        return await sender.SendAsync(delivery.Url, delivery.EventId.ToString("D"), now, body, keys, ct);
    }

    private async Task<int> RecordAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now,
        IEnumerable<(DueDelivery Delivery, IReadOnlyList<WebhookAttemptRecord> Attempts)> outcomes, CancellationToken ct)
    {
        var o = options.Value;
        var failedHere = new HashSet<Guid>();
        foreach (var (delivery, attempts) in outcomes)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertAttemptSql, attempts.Select((a, i) => new
            {
                Id = Guid.CreateVersion7(), DeliveryId = delivery.Id, Number = delivery.Attempts + i + 1, a.AttemptedAt, a.StatusCode, a.LatencyMs, a.Succeeded, a.Error, a.ResponseBody,
            }), transaction, cancellationToken: ct));
            if (attempts.Count > 0 && attempts[^1].Succeeded)
            {
                await connection.ExecuteAsync(new CommandDefinition(DeliveredSql, new { delivery.Id, Count = attempts.Count, Now = now }, transaction, cancellationToken: ct));
                // Only a subscription with failures on record has a count to reset: most deliveries skip the write.
                if (delivery.ConsecutiveFailures != 0 || failedHere.Contains(delivery.SubscriptionId))
                    await connection.ExecuteAsync(new CommandDefinition(SubscriptionSucceededSql, new { Id = delivery.SubscriptionId }, transaction, cancellationToken: ct));
                continue;
            }

            var rounds = (delivery.Attempts + attempts.Count + o.AttemptsPerRound - 1) / Math.Max(1, o.AttemptsPerRound);
            var gaveUp = rounds >= o.MaxRounds;
            var next = now + TimeSpan.FromSeconds(o.RoundBaseDelaySeconds * Math.Pow(2, Math.Min(rounds - 1, 16)) * (0.8 + 0.4 * Random.Shared.NextDouble()));
            await connection.ExecuteAsync(new CommandDefinition(RetryLaterSql, new
            {
                delivery.Id, Status = gaveUp ? "failed" : "pending", Count = attempts.Count, NextAttemptAt = gaveUp ? (DateTimeOffset?)null : next,
            }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(SubscriptionFailedSql, new { Id = delivery.SubscriptionId }, transaction, cancellationToken: ct));
            failedHere.Add(delivery.SubscriptionId);
            var reason = $"Disabled after {o.DisableAfterFailures} failed deliveries in a row; the last: {attempts.LastOrDefault()?.Error ?? "no attempt"}";
            if (await connection.ExecuteAsync(new CommandDefinition(DisableSql, new { Id = delivery.SubscriptionId, Reason = reason, Now = now, Limit = o.DisableAfterFailures },
                    transaction, cancellationToken: ct)) == 1)
                await Outbox.AppendAsync(connection, transaction, now, new OutboxEntry(EventTypes.WebhookDisabled, new
                {
                    webhook = new { id = delivery.SubscriptionId, name = delivery.SubscriptionName },
                    reason,
                    summary = $"Webhook '{delivery.SubscriptionName}' was disabled after {o.DisableAfterFailures} failed deliveries in a row",
                }), ct);
        }
        return 0;
    }

    /// <summary>A write of the worker: in SQLite's group commit, or a transaction of its own on SQL Server.</summary>
    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, DateTimeOffset, Task<T>> work, CancellationToken ct)
    {
        if (dialect.Provider == DatabaseProvider.Sqlite) return await sqlite.WriteAsync(work, ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await work(connection, transaction, clock.GetUtcNow());
        await transaction.CommitAsync(ct);
        return result;
    }

    private sealed class DueDelivery
    {
        public Guid Id { get; init; }
        public Guid SubscriptionId { get; init; }
        public Guid EventId { get; init; }
        public int Attempts { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public string Payload { get; init; } = "";
        public string Url { get; init; } = "";
        public string Format { get; init; } = "";
        public string Secret { get; init; } = "";
        public string? PreviousSecret { get; init; }
        public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
        public int ConsecutiveFailures { get; init; }
        public string SubscriptionName { get; init; } = "";
    }
}
