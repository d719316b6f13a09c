using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// The KPI dashboard in one call: for each KPI its latest and previous value, the change, the status, whether
/// it is late, and a sparkline of its last periods. Three queries whatever the number of KPIs.
/// </summary>
public static class GetDashboard
{
    public const int DefaultSparkline = 12;
    public const int MaxSparkline = 100;
    public static readonly string[] StatusFilters = ["onTarget", "atRisk", "offTarget", "noData", "late"];

    /// <param name="Keys">Comma-separated KPI keys to show; all KPIs when absent.</param>
    /// <param name="Status">Keep only KPIs whose displayStatus is this (applied after paging, so a page can be short).</param>
    public sealed record Query(string? Keys, Guid? OwnerTeamId, string? Tag, string? Status, bool IncludeRetired, int? Sparkline, int? Limit, string? Cursor)
        : IQuery<Page<Item>>;

    /// <summary>A stored value and the period it belongs to.</summary>
    public sealed record Point(string Period, DateTimeOffset PeriodStart, [property: Infrastructure.OpenApi.NumberOrBoolean] object Value);

    /// <summary>
    /// One period of a sparkline; a period without a value has no <c>value</c> member (rather than null: OpenAPI 3.0
    /// cannot say "a number, a boolean or null" in a way generated C# clients read).
    /// </summary>
    public sealed record SparklinePoint(string Period, DateTimeOffset PeriodStart,
        [property: Infrastructure.OpenApi.NumberOrBoolean, System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] object? Value);

    /// <param name="Change">Latest minus previous value; null for boolean KPIs or without two values.</param>
    /// <param name="ChangePercent">The change as a percentage of the previous value's magnitude, rounded to two decimals
    /// (previous 80, latest 100: 25; previous -80, latest -100: -25); null where change is null or the previous value is 0.</param>
    /// <param name="DisplayStatus">The one word to show: "late" wins over the value's status, because silence is never green.</param>
    /// <param name="FedBy">formula when the KPI's values are computed from other KPIs.</param>
    public sealed record Item(Guid KpiId, string Key, string Name, string? Unit, KpiValueType ValueType, KpiFrequency Frequency, KpiTarget Target,
        Guid? OwnerTeamId, IReadOnlyList<string> Tags, KpiStatus KpiStatus, Point? Latest, Point? Previous, decimal? Change, decimal? ChangePercent,
        KpiPeriodStatus Status, bool Late, [property: Infrastructure.OpenApi.ClosedSet(typeof(GetDashboard), nameof(StatusFilters))] string DisplayStatus,
        IReadOnlyList<SparklinePoint> Sparkline, KpiFedBy FedBy);

    public const int ChangePercentDecimals = 2;

    public static async Task<Ok<Page<Item>>> Endpoint(ISender sender, CancellationToken ct,
        string? keys = null, Guid? ownerTeamId = null, string? tag = null, string? status = null, bool includeRetired = false,
        int? sparkline = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(keys, ownerTeamId, tag, status, includeRetired, sparkline, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Keys).MaximumLength(KpiDefinition.KeyListMaxLength).Must(keys => keys is null || KpiDefinition.KeysFromList(keys).Count <= KpiDefinition.MaxKeysInList).WithMessage($"keys names at most {KpiDefinition.MaxKeysInList} KPIs.");
            RuleFor(q => q.Status).OneOf(StatusFilters)
                .WithMessage($"status must be one of: {string.Join(", ", StatusFilters)}.");
            RuleFor(q => q.Tag).MaximumLength(KpiDefinition.TagMaxLength);
            RuleFor(q => q.Sparkline).InclusiveBetween(1, MaxSparkline).WithMessage($"sparkline must be between 1 and {MaxSparkline} periods.");
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).Must(Paging.IsValid).WithMessage("The cursor is not one this API issued.");
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect, Organisation organisation, TimeProvider clock, Cache cache) : IQueryHandler<Query, Page<Item>>
    {
        private const string Filter = """
            FROM Kpi AS k
            WHERE (@After IS NULL OR k.KeyNormalized > @After)
              AND (@IncludeRetired = 1 OR k.Status = 'Active')
              AND (@OwnerTeamId IS NULL OR k.OwnerTeamId = @OwnerTeamId)
              AND (@Tag IS NULL OR EXISTS (SELECT 1 FROM KpiTag AS t WHERE t.KpiId = k.Id AND t.Tag = @Tag))
            """;

        // Named KPIs are found by one seek each on the key index. Folding the list into the catch-all filter
        // ("@AllKeys = 1 OR … IN …") made SQLite walk the whole index in key order instead: 2,000 rows read for 20.
        private const string ByKeys = "AND k.KeyNormalized IN @Keys";
        private const string Order = "ORDER BY k.KeyNormalized";

        private const string SqliteKpisSql = $"SELECT {KpiRow.SummaryColumns} {Filter} {Order} LIMIT @Take";
        private const string SqlServerKpisSql = $"SELECT TOP (@Take) {KpiRow.SummaryColumns} {Filter} {Order}";
        private const string SqliteKpisByKeysSql = $"SELECT {KpiRow.SummaryColumns} {Filter} {ByKeys} {Order} LIMIT @Take";
        private const string SqlServerKpisByKeysSql = $"SELECT TOP (@Take) {KpiRow.SummaryColumns} {Filter} {ByKeys} {Order}";

        // The newest @Take values of each KPI, each KPI found by an index seek: SQLite through the start of its
        // @Take-th newest period, SQL Server through CROSS APPLY … TOP.
        private const string SqliteLatestSql = """
            SELECT m.KpiId, m.PeriodStart, m.Value
            FROM Kpi AS k
            INNER JOIN KpiMeasurement AS m ON m.KpiId = k.Id
            WHERE k.Id IN @Ids
              AND m.PeriodStart >= COALESCE(
                  (SELECT x.PeriodStart FROM KpiMeasurement AS x WHERE x.KpiId = k.Id ORDER BY x.PeriodStart DESC LIMIT 1 OFFSET @Skip), '')
            """;

        private const string SqlServerLatestSql = """
            SELECT k.Id AS KpiId, m.PeriodStart, m.Value
            FROM Kpi AS k
            CROSS APPLY (SELECT TOP (@Take) x.PeriodStart, x.Value FROM KpiMeasurement AS x WHERE x.KpiId = k.Id ORDER BY x.PeriodStart DESC) AS m
            WHERE k.Id IN @Ids
            """;

        private sealed class ValueRow
        {
            public Guid KpiId { get; init; }
            public DateTimeOffset PeriodStart { get; init; }
            public decimal Value { get; init; }
        }

        public ValueTask<Page<Item>> Handle(Query query, CancellationToken ct) => cache.GetAsync(query, ReadAsync, ct);

        private async Task<Page<Item>> ReadAsync(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            var sparkline = query.Sparkline ?? DefaultSparkline;
            var keys = query.Keys is null ? [] : KpiDefinition.KeysFromList(query.Keys);
            await using var connection = await db.OpenConnectionAsync(ct);

            var sql = query.Keys is null ? dialect.Choose(SqliteKpisSql, SqlServerKpisSql) : dialect.Choose(SqliteKpisByKeysSql, SqlServerKpisByKeysSql);
            var rows = (await connection.QueryAsync<KpiRow>(new CommandDefinition(sql, new
            {
                After = Paging.Decode(query.Cursor),
                query.IncludeRetired,
                query.OwnerTeamId,
                Tag = query.Tag?.Trim().ToLowerInvariant(),
                Keys = keys,
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();
            var page = Paging.Of(rows, limit, r => r.KeyNormalized);
            var ids = page.Items.Select(r => r.Id).ToList();

            var tags = await KpiRow.TagsAsync(connection, ids, ct);
            var take = Math.Max(sparkline, 2);
            var values = ids.Count == 0
                ? []
                : (await connection.QueryAsync<ValueRow>(new CommandDefinition(dialect.Choose(SqliteLatestSql, SqlServerLatestSql), new
                {
                    // Text ids: Dapper expands IN lists without type handlers.
                    Ids = ids.Select(id => id.ToString("D")).ToList(),
                    Take = take,
                    Skip = take - 1,
                }, cancellationToken: ct))).ToList();

            var now = clock.GetUtcNow();
            var byKpi = values.ToLookup(v => v.KpiId);
            var items = page.Items
                .Select(kpi => Summarize(kpi, tags[kpi.Id].ToList(), byKpi[kpi.Id].OrderByDescending(v => v.PeriodStart).ToList(), sparkline, now))
                .Where(item => query.Status is null || item.DisplayStatus == query.Status)
                .ToList();
            return new Page<Item>(items, page.NextCursor);
        }

        private Item Summarize(KpiRow kpi, IReadOnlyList<string> tags, IReadOnlyList<ValueRow> newestFirst, int sparkline, DateTimeOffset now)
        {
            var zone = organisation.TimeZone;
            var latest = newestFirst.Count > 0 ? newestFirst[0] : null;
            var previous = newestFirst.Count > 1 ? newestFirst[1] : null;
            var health = KpiStatusEngine.Summarize(kpi.Target(), latest?.Value, latest?.PeriodStart, kpi.Frequency, now, zone);

            var byPeriod = newestFirst.ToDictionary(v => v.PeriodStart.UtcTicks, v => v.Value);
            var periods = new List<DateTimeOffset> { KpiPeriods.StartOf(kpi.Frequency, now, zone) };
            while (periods.Count < sparkline) periods.Add(KpiPeriods.Previous(kpi.Frequency, periods[^1], zone));
            periods.Reverse();

            Point? PointOf(ValueRow? row) => row is null ? null : new Point(KpiPeriods.Label(kpi.Frequency, row.PeriodStart, zone), row.PeriodStart, MeasurementWrites.Present(kpi.ValueType, row.Value));
            decimal? change = kpi.ValueType != KpiValueType.Boolean && latest is not null && previous is not null ? latest.Value - previous.Value : null;
            decimal? changePercent = change is { } delta && previous!.Value != 0
                ? Math.Round(delta / Math.Abs(previous.Value) * 100m, ChangePercentDecimals, MidpointRounding.AwayFromZero)
                : null;
            return new Item(kpi.Id, kpi.KpiKey, kpi.Name, kpi.Unit, kpi.ValueType, kpi.Frequency, kpi.Target(), kpi.OwnerTeamId, tags, kpi.Status,
                PointOf(latest), PointOf(previous), change, changePercent,
                health.Status, health.Late, health.DisplayStatus,
                periods.Select(p => new SparklinePoint(KpiPeriods.Label(kpi.Frequency, p, zone), p,
                    byPeriod.TryGetValue(p.UtcTicks, out var v) ? MeasurementWrites.Present(kpi.ValueType, v) : null)).ToList(), kpi.FedBy);
        }
    }

    /// <summary>
    /// A dashboard is read far more often than its KPIs change, so each instance keeps the answer to a query for at most
    /// <see cref="TimeToLive"/> (configuration Dashboard:CacheMilliseconds, default 1,000; 0 turns it off). Any command
    /// finished by this instance drops the answers before its own response is sent, so nobody reads past their own write
    /// here; writes through another instance show within the time to live, and so does a new period starting. Requests
    /// that miss together share one read.
    /// </summary>
    public sealed class Cache(LocalWrites writes, TimeProvider clock, IConfiguration configuration)
    {
        // Bounds the memory: at most this many answers, each of at most MaxPoints sparkline points (about 150 bytes each).
        private const int MaxEntries = 64;
        private const int MaxPoints = 5_000;

        private readonly ConcurrentDictionary<Query, Entry> _entries = new();

        public TimeSpan TimeToLive { get; } = TimeSpan.FromMilliseconds(configuration.GetValue("Dashboard:CacheMilliseconds", 1_000));

        private sealed record Entry(long Version, DateTimeOffset ReadAt, long Timestamp, Task<Page<Item>> Page);

        public async ValueTask<Page<Item>> GetAsync(Query query, Func<Query, CancellationToken, Task<Page<Item>>> read, CancellationToken ct)
        {
            if (TimeToLive <= TimeSpan.Zero || (query.Limit ?? Paging.DefaultLimit) * (query.Sparkline ?? DefaultSparkline) > MaxPoints)
                return await read(query, ct);

            while (true)
            {
                // Taken before reading, so that an entry is never newer than the writes it may have missed.
                var version = writes.Version;
                var now = clock.GetUtcNow();
                var timestamp = Stopwatch.GetTimestamp();
                if (_entries.TryGetValue(query, out var entry) && entry.Version == version
                    && now - entry.ReadAt < TimeToLive && now >= entry.ReadAt && Stopwatch.GetElapsedTime(entry.Timestamp, timestamp) < TimeToLive)
                {
                    try
                    {
                        return await entry.Page.WaitAsync(ct);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        continue;   // the shared read failed and has removed itself: read again
                    }
                }

                var reading = new TaskCompletionSource<Page<Item>>(TaskCreationOptions.RunContinuationsAsynchronously);
                var mine = new Entry(version, now, timestamp, reading.Task);
                if (entry is null ? !_entries.TryAdd(query, mine) : !_entries.TryUpdate(query, mine, entry))
                    continue;   // another request has just started the same read
                if (_entries.Count > MaxEntries) Evict(timestamp);

                try
                {
                    var page = await read(query, ct);
                    reading.SetResult(page);
                    return page;
                }
                catch
                {
                    _entries.TryRemove(new KeyValuePair<Query, Entry>(query, mine));
                    // Whoever waited on this read reads again themselves (a cancelled task is never reported as unobserved).
                    reading.SetCanceled();
                    throw;
                }
            }
        }

        private void Evict(long timestamp)
        {
            foreach (var (query, entry) in _entries)
                if (Stopwatch.GetElapsedTime(entry.Timestamp, timestamp) >= TimeToLive)
                    _entries.TryRemove(new KeyValuePair<Query, Entry>(query, entry));
            if (_entries.Count > MaxEntries) _entries.Clear();
        }
    }
}
