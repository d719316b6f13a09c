using System.Data.Common;
using Dapper;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.OpenApi;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>
/// A webhook subscription as the API shows it: never its secret (that is in the answer that creates or rotates it, and
/// nowhere else). <paramref name="TeamIds"/>, <paramref name="KpiKeys"/> and <paramref name="Statuses"/> are filters;
/// null means any.
/// </summary>
/// <param name="Enabled">False once disabled by a person or, after a run of failed deliveries, by the worker (see disabledReason).</param>
/// <param name="ConsecutiveFailures">Failed delivery rounds in a row; reset by a delivery that succeeds.</param>
/// <param name="PreviousSecretExpiresAt">Until then the secret replaced by the last rotation still signs, beside the new one.</param>
public sealed record WebhookResponse(Guid Id, string Name, string Url, WebhookFormat Format,
    [property: ClosedSet(typeof(EventTypes), nameof(EventTypes.All))] IReadOnlyList<string> EventTypes,
    IReadOnlyList<Guid>? TeamIds, IReadOnlyList<string>? KpiKeys,
    [property: ClosedSet(typeof(WebhookRules), nameof(WebhookRules.Statuses))] IReadOnlyList<string>? Statuses,
    bool Enabled, string? DisabledReason, int ConsecutiveFailures, DateTimeOffset? PreviousSecretExpiresAt,
    long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    internal const string Columns = """
        Id, Name, Url, Format, EventTypes, TeamIds, KpiKeys, Statuses, Enabled, DisabledReason, ConsecutiveFailures,
        PreviousSecretExpiresAt, Version, CreatedAt, UpdatedAt
        """;

    private const string SelectSql = $"SELECT {Columns} FROM WebhookSubscription WHERE Id = @Id";

    /// <summary>The subscription, if the caller may manage it; 404 otherwise (ids reveal nothing).</summary>
    internal static async Task<WebhookResponse> GetAsync(DbConnection connection, Guid id, Caller caller, CancellationToken ct, DbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct));
        if (row is null || !await WebhookRules.MayManageAsync(caller, WebhookLists.Split(row.TeamIds)?.Select(Guid.Parse).ToList(), connection, transaction, ct))
            throw new NotFoundException($"Webhook '{id}' was not found.");
        return row.ToResponse();
    }

    internal sealed class Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Url { get; init; } = "";
        public string Format { get; init; } = "";
        public string EventTypes { get; init; } = "";
        public string? TeamIds { get; init; }
        public string? KpiKeys { get; init; }
        public string? Statuses { get; init; }
        public bool Enabled { get; init; }
        public string? DisabledReason { get; init; }
        public int ConsecutiveFailures { get; init; }
        public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
        public long Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public WebhookResponse ToResponse() => new(Id, Name, Url, Enum.Parse<WebhookFormat>(Format), WebhookLists.Split(EventTypes)!,
            WebhookLists.Split(TeamIds)?.Select(Guid.Parse).ToList(), WebhookLists.Split(KpiKeys), WebhookLists.Split(Statuses),
            Enabled, DisabledReason, ConsecutiveFailures, PreviousSecretExpiresAt, Version, CreatedAt, UpdatedAt);
    }
}
