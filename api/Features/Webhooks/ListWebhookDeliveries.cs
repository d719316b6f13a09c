using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

public enum WebhookDeliveryStatus { Pending, Delivered, Failed }

/// <summary>One attempt (numbered from 1 within its delivery): when, the receiver's status code (none when no answer came), latency and the first bytes of the answer.</summary>
public sealed record WebhookAttemptResponse(int Number, DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, bool Succeeded, string? Error, string? ResponseBody);

/// <summary>One event's delivery to one webhook, with its attempts, oldest first.</summary>
/// <param name="NextAttemptAt">When a pending delivery is tried next; null once delivered or given up.</param>
public sealed record WebhookDeliveryResponse(Guid Id, Guid EventId, string EventType, WebhookDeliveryStatus Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, IReadOnlyList<WebhookAttemptResponse> AttemptLog);

/// <summary>The delivery log of a webhook, newest first, with every attempt of each delivery.</summary>
public static class ListWebhookDeliveries
{
    public sealed record Query(Guid WebhookId, int? Limit, string? Cursor) : IQuery<Page<WebhookDeliveryResponse>>;

    public static async Task<Ok<Page<WebhookDeliveryResponse>>> Endpoint(Guid webhookId, ISender sender, CancellationToken ct, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(webhookId, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor(key => Guid.TryParse(key, out _));
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect, Caller caller) : IQueryHandler<Query, Page<WebhookDeliveryResponse>>
    {
        private const string Filter = """
            FROM WebhookDelivery AS d
            INNER JOIN OutboxEvent AS e ON e.Id = d.EventId
            WHERE d.SubscriptionId = @WebhookId AND (@Before IS NULL OR d.Id < @Before)
            ORDER BY d.Id DESC
            """;

        private const string Columns = "d.Id, d.EventId, e.Type AS EventType, d.Status, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.DeliveredAt";
        private const string SqliteSql = $"SELECT {Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {Columns} {Filter}";

        private const string AttemptsSql = """
            SELECT DeliveryId, Number, AttemptedAt, StatusCode, LatencyMs, Succeeded, Error, ResponseBody
            FROM WebhookAttempt WHERE DeliveryId IN @Ids
            ORDER BY DeliveryId, Number
            """;

        public async ValueTask<Page<WebhookDeliveryResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            await using var connection = await db.OpenConnectionAsync(ct);
            await WebhookResponse.GetAsync(connection, query.WebhookId, caller, ct);
            var rows = (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                query.WebhookId,
                Before = Paging.Decode(query.Cursor) is { } before ? Guid.Parse(before) : (Guid?)null,
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();
            var page = Paging.Of(rows, limit, r => r.Id.ToString());
            var attempts = page.Items.Count == 0 ? Array.Empty<AttemptRow>().ToLookup(a => a.DeliveryId)
                : (await connection.QueryAsync<AttemptRow>(new CommandDefinition(AttemptsSql, new { Ids = page.Items.Select(d => d.Id.ToString("D")).ToList() },
                    cancellationToken: ct))).ToLookup(a => a.DeliveryId);
            return new Page<WebhookDeliveryResponse>(page.Items.Select(d => new WebhookDeliveryResponse(d.Id, d.EventId, d.EventType,
                Enum.Parse<WebhookDeliveryStatus>(d.Status, ignoreCase: true), d.Attempts, d.CreatedAt, d.NextAttemptAt, d.DeliveredAt,
                attempts[d.Id].Select(a => new WebhookAttemptResponse(a.Number, a.AttemptedAt, a.StatusCode, a.LatencyMs, a.Succeeded, a.Error, a.ResponseBody)).ToList())).ToList(),
                page.NextCursor);
        }
    }

    private sealed class DeliveryRow
    {
        public Guid Id { get; init; }
        public Guid EventId { get; init; }
        public string EventType { get; init; } = "";
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? NextAttemptAt { get; init; }
        public DateTimeOffset? DeliveredAt { get; init; }
    }

    private sealed class AttemptRow
    {
        public Guid DeliveryId { get; init; }
        public int Number { get; init; }
        public DateTimeOffset AttemptedAt { get; init; }
        public int? StatusCode { get; init; }
        public int LatencyMs { get; init; }
        public bool Succeeded { get; init; }
        public string? Error { get; init; }
        public string? ResponseBody { get; init; }
    }
}
