using System.Data.Common;
using Dapper;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>
/// Turns new outbox events into work: a pending delivery for every enabled subscription whose filters match, and an
/// alert for every person who owns or follows the event's subject; then marks the events dispatched, all in one
/// transaction. Filters: the event type must be one the subscription lists; teams, KPI keys and statuses, when set,
/// must contain the event's (an event without a team or KPI does not match a subscription filtering on them; the
/// status filter applies to events that carry a status).
/// </summary>
internal static class EventFanOut
{
    /// <summary>Events that make an in-app alert; the others (values recorded, check-ins, cycles) are for integrations.</summary>
    public static readonly IReadOnlySet<string> Alerting = new HashSet<string>
    {
        EventTypes.KpiStatusChanged, EventTypes.KpiLate, EventTypes.KeyResultStale, EventTypes.ObjectiveHealthChanged, EventTypes.WebhookDisabled,
    };

    private const string SqliteEventsSql = """
        SELECT Id, Type, TeamId, KpiKey, KpiId, ObjectiveId, KeyResultId, Status FROM OutboxEvent
        WHERE DispatchedAt IS NULL
        ORDER BY Id
        LIMIT @Limit
        """;

    private const string EventsSql = """
        SELECT TOP (@Limit) Id, Type, TeamId, KpiKey, KpiId, ObjectiveId, KeyResultId, Status FROM OutboxEvent
        WHERE DispatchedAt IS NULL
        ORDER BY Id
        """;

    private const string SubscriptionsSql = "SELECT Id, EventTypes, TeamIds, KpiKeys, Statuses FROM WebhookSubscription WHERE Enabled = 1";

    private const string InsertDeliverySql = """
        INSERT INTO WebhookDelivery (Id, SubscriptionId, EventId, Status, Attempts, NextAttemptAt, CreatedAt, DeliveredAt)
        VALUES (@Id, @SubscriptionId, @EventId, 'pending', 0, @Now, @Now, NULL)
        """;

    private const string TeamMembersSql = "SELECT UserId FROM TeamMember WHERE TeamId = @TeamId";

    private const string FollowersSql = """
        SELECT UserId FROM Follow
        WHERE (SubjectType = 'kpi' AND SubjectId = @KpiId) OR (SubjectType = 'objective' AND SubjectId = @ObjectiveId)
        """;

    private const string AdminsSql = "SELECT Id FROM AppUser WHERE Role = 'Admin' AND Disabled = 0 AND IsServiceAccount = 0";

    private const string InsertAlertSql = "INSERT INTO Alert (Id, UserId, EventId, CreatedAt, ReadAt) VALUES (@Id, @UserId, @EventId, @Now, NULL)";

    private const string DispatchedSql = "UPDATE OutboxEvent SET DispatchedAt = @Now WHERE Id = @Id";

    public static async Task<int> RunAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, DateTimeOffset now, int limit, CancellationToken ct)
    {
        var events = (await connection.QueryAsync<EventRow>(new CommandDefinition(provider == DatabaseProvider.SqlServer ? EventsSql : SqliteEventsSql,
            new { Limit = limit }, transaction, cancellationToken: ct))).ToList();
        if (events.Count == 0) return 0;
        var subscriptions = (await connection.QueryAsync<SubscriptionFilter>(new CommandDefinition(SubscriptionsSql, transaction: transaction, cancellationToken: ct)))
            .Select(s => s.Parse()).ToList();

        var deliveries = new List<object>();
        var alerts = new List<object>();
        foreach (var e in events)
        {
            deliveries.AddRange(subscriptions.Where(s => s.Matches(e)).Select(s => new { Id = Guid.CreateVersion7(now), SubscriptionId = s.Id, EventId = e.Id, Now = now }));
            if (Alerting.Contains(e.Type))
                alerts.AddRange((await RecipientsAsync(connection, transaction, e, ct)).Select(user => new { Id = Guid.CreateVersion7(now), UserId = user, EventId = e.Id, Now = now }));
        }
        if (deliveries.Count > 0) await connection.ExecuteAsync(new CommandDefinition(InsertDeliverySql, deliveries, transaction, cancellationToken: ct));
        if (alerts.Count > 0) await connection.ExecuteAsync(new CommandDefinition(InsertAlertSql, alerts, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(DispatchedSql, events.Select(e => new { e.Id, Now = now }), transaction, cancellationToken: ct));
        return events.Count;
    }

    /// <summary>Whether an enabled subscription lists <paramref name="type"/>, whatever its other filters: events only integrations receive are written only then.</summary>
    public static async Task<bool> ListenedToAsync(DbConnection connection, DbTransaction transaction, string type, CancellationToken ct) =>
        (await connection.QueryAsync<SubscriptionFilter>(new CommandDefinition(SubscriptionsSql, transaction: transaction, cancellationToken: ct)))
            .Any(s => s.Parse().Types.Contains(type));

    private static async Task<IReadOnlySet<Guid>> RecipientsAsync(DbConnection connection, DbTransaction transaction, EventRow e, CancellationToken ct)
    {
        var people = new HashSet<Guid>();
        if (e.Type == EventTypes.WebhookDisabled)
            people.UnionWith(await connection.QueryAsync<Guid>(new CommandDefinition(AdminsSql, transaction: transaction, cancellationToken: ct)));
        if (e.TeamId is { } team)
            people.UnionWith(await connection.QueryAsync<Guid>(new CommandDefinition(TeamMembersSql, new { TeamId = team }, transaction, cancellationToken: ct)));
        if (e.KpiId is not null || e.ObjectiveId is not null)
            people.UnionWith(await connection.QueryAsync<Guid>(new CommandDefinition(FollowersSql, new { e.KpiId, e.ObjectiveId }, transaction, cancellationToken: ct)));
        return people;
    }

    internal sealed class EventRow
    {
        public Guid Id { get; init; }
        public string Type { get; init; } = "";
        public Guid? TeamId { get; init; }
        public string? KpiKey { get; init; }
        public Guid? KpiId { get; init; }
        public Guid? ObjectiveId { get; init; }
        public Guid? KeyResultId { get; init; }
        public string? Status { get; init; }
    }

    private sealed class SubscriptionFilter
    {
        public Guid Id { get; init; }
        public string EventTypes { get; init; } = "";
        public string? TeamIds { get; init; }
        public string? KpiKeys { get; init; }
        public string? Statuses { get; init; }

        public ParsedFilter Parse() => new(Id, WebhookLists.Split(EventTypes)!.ToHashSet(), WebhookLists.Split(TeamIds)?.Select(Guid.Parse).ToHashSet(),
            WebhookLists.Split(KpiKeys)?.ToHashSet(), WebhookLists.Split(Statuses)?.ToHashSet());
    }

    private sealed record ParsedFilter(Guid Id, HashSet<string> Types, HashSet<Guid>? Teams, HashSet<string>? KpiKeys, HashSet<string>? Statuses)
    {
        public bool Matches(EventRow e) =>
            Types.Contains(e.Type)
            && (Teams is null || (e.TeamId is { } team && Teams.Contains(team)))
            && (KpiKeys is null || (e.KpiKey is { } key && KpiKeys.Contains(Kpis.KpiDefinition.NormalizeKey(key))))
            && (Statuses is null || e.Status is null || Statuses.Contains(e.Status));
    }
}

/// <summary>How a subscription's lists are stored: one text column each, comma-separated; null means "any".</summary>
internal static class WebhookLists
{
    public static string? Join(IEnumerable<string>? items) => items is null ? null : string.Join(',', items);

    public static IReadOnlyList<string>? Split(string? stored) => stored is null ? null : stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
