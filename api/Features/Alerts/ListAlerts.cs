using System.Data.Common;
using System.Text.Json;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Alerts;

/// <summary>An alert: the event's type and sentence, what it is about, and whether the person has read it.</summary>
/// <param name="KpiKey">The KPI the event is about, for a link to its page; null for other events.</param>
public sealed record AlertResponse(Guid Id, Guid EventId, string Type, string Summary, DateTimeOffset OccurredAt, string? KpiKey, Guid? ObjectiveId,
    DateTimeOffset? ReadAt);

/// <param name="UnreadCount">All the caller's unread alerts, whatever the page holds.</param>
public sealed record AlertPage(IReadOnlyList<AlertResponse> Items, string? NextCursor, long UnreadCount);

/// <summary>The caller's alerts, newest first (unread only with unread=true), with the count of unread ones.</summary>
public static class ListAlerts
{
    public sealed record Query(bool UnreadOnly, int? Limit, string? Cursor) : IQuery<AlertPage>;

    public static async Task<Ok<AlertPage>> Endpoint(ISender sender, CancellationToken ct, bool? unread = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(unread ?? false, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor(key => Guid.TryParse(key, out _));
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect, Caller caller) : IQueryHandler<Query, AlertPage>
    {
        private const string Filter = """
            FROM Alert AS a
            INNER JOIN OutboxEvent AS e ON e.Id = a.EventId
            WHERE a.UserId = @UserId AND (@UnreadOnly = 0 OR a.ReadAt IS NULL) AND (@Before IS NULL OR a.Id < @Before)
            ORDER BY a.Id DESC
            """;

        private const string Columns = "a.Id, a.EventId, e.Type, e.Payload, e.OccurredAt, e.KpiKey, e.ObjectiveId, a.ReadAt";
        private const string SqliteSql = $"SELECT {Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {Columns} {Filter}";
        private const string UnreadSql = "SELECT COUNT(*) FROM Alert WHERE UserId = @UserId AND ReadAt IS NULL";

        public async ValueTask<AlertPage> Handle(Query query, CancellationToken ct)
        {
            var userId = caller.UserId ?? throw new UnauthenticatedException("Sign in to read your alerts.");
            var limit = query.Limit ?? Paging.DefaultLimit;
            await using var connection = await db.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                UserId = userId,
                UnreadOnly = query.UnreadOnly ? 1 : 0,
                Before = Paging.Decode(query.Cursor) is { } before ? Guid.Parse(before) : (Guid?)null,
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();
            var unread = await connection.ExecuteScalarAsync<long>(new CommandDefinition(UnreadSql, new { UserId = userId }, cancellationToken: ct));
            var page = Paging.Of(rows, limit, r => r.Id.ToString());
            return new AlertPage(page.Items.Select(r => r.ToResponse()).ToList(), page.NextCursor, unread);
        }
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public Guid EventId { get; init; }
        public string Type { get; init; } = "";
        public string Payload { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public string? KpiKey { get; init; }
        public Guid? ObjectiveId { get; init; }
        public DateTimeOffset? ReadAt { get; init; }

        public AlertResponse ToResponse()
        {
            using var payload = JsonDocument.Parse(Payload);
            var summary = payload.RootElement.GetProperty("data").TryGetProperty("summary", out var text) ? text.GetString() ?? Type : Type;
            return new AlertResponse(Id, EventId, Type, summary, OccurredAt, KpiKey, ObjectiveId, ReadAt);
        }
    }
}
