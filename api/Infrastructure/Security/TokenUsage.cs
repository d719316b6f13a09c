using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using OkrKpi.Api.Infrastructure.Resilience;

namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>
/// Records when each API token was last used, after the request that used it rather than in it: the write may wait
/// for the database's lock (another writer's, or a migration's), and that bookkeeping must never delay the request.
/// Uses are recorded to the minute, at most once a minute per token and instance; a use that finds the database busy,
/// or arrives while many are queued, is left to the token's next use.
/// </summary>
public sealed class TokenUsage(DbDataSource db, ILogger<TokenUsage> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private const int MaxQueued = 1024;

    // Never moves a token's time backwards: a late write of an older use changes nothing.
    internal const string TouchSql = "UPDATE ApiToken SET LastUsedAt = @At, LastUsedFrom = @From WHERE PublicId = @PublicId AND (LastUsedAt IS NULL OR LastUsedAt < @At)";

    private readonly Channel<(string PublicId, DateTimeOffset At, string? From)> _uses =
        Channel.CreateBounded<(string, DateTimeOffset, string?)>(new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Whether a token last recorded at <paramref name="lastUsedAt"/> is due another record at <paramref name="now"/>.</summary>
    public static bool IsDue(DateTimeOffset? lastUsedAt, DateTimeOffset now) => lastUsedAt is null || now - lastUsedAt >= Interval;

    /// <summary>Queues the record of a use from a client address; returns at once.</summary>
    public void Record(string publicId, DateTimeOffset at, string? from) => _uses.Writer.TryWrite((publicId, at, from));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Concurrent requests of one token all find it due; the first of them is written, the others are not.
        var written = new Dictionary<string, DateTimeOffset>();
        await foreach (var (publicId, at, from) in _uses.Reader.ReadAllAsync(stoppingToken))
        {
            if (written.TryGetValue(publicId, out var last) && !IsDue(last, at)) continue;
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                await connection.ExecuteAsync(new CommandDefinition(TouchSql, new { PublicId = publicId, At = at, From = from }, cancellationToken: stoppingToken));
                written[publicId] = at;
            }
            catch (DbException e) when (TransientFaults.IsTransient(e))
            {
                logger.LogDebug("Recording a use of API token {PublicId} found the database busy; its next use records it", publicId);
            }
            catch (DbException e)
            {
                // Bookkeeping: a failure here is logged, and must not stop the service (nor, with it, the host).
                logger.LogWarning(e, "Recording a use of API token {PublicId} failed", publicId);
            }
        }
    }
}
