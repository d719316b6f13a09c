using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Audit;

/// <summary>Reads the audit log newest first, filtered by entity, entity id, actor, action and time (from and to inclusive), a page at a time.</summary>
public static class ListAuditEntries
{
    public const int FilterMaxLength = 254;

    public sealed record Query(string? Entity, string? EntityId, string? Actor, string? Action, DateTimeOffset? From, DateTimeOffset? To,
        int? Limit, string? Cursor) : IQuery<Page<AuditEntryResponse>>;

    /// <param name="Actor">Who acted: a person's email, <c>token:&lt;public id&gt;</c> for an API token, or <c>system</c>.</param>
    /// <param name="Before">The entity as the API returned it before the change (null for a creation).</param>
    /// <param name="After">The entity after the change (null for a deletion); for batches and imports, their counts.</param>
    public sealed record AuditEntryResponse(Guid Id, DateTimeOffset At, string ActorKind, Guid? ActorId, string Actor,
        string Entity, string EntityId, string Action, JsonElement? Before, JsonElement? After);

    public static async Task<Ok<Page<AuditEntryResponse>>> Endpoint(ISender sender, CancellationToken ct,
        string? entity = null, string? entityId = null, string? actor = null, string? action = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(entity, entityId, actor, action, from, to, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Entity).MaximumLength(FilterMaxLength);
            RuleFor(q => q.EntityId).MaximumLength(FilterMaxLength);
            RuleFor(q => q.Actor).MaximumLength(FilterMaxLength);
            RuleFor(q => q.Action).MaximumLength(FilterMaxLength);
            RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || to >= q.From).WithMessage("to must not be before from.");
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor(key => TryReadKey(key, out _, out _));
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect) : IQueryHandler<Query, Page<AuditEntryResponse>>
    {
        // Keyset paging on (At, Id), the clustered order on SQL Server: entries of one group commit share their At.
        private const string Filter = """
            FROM AuditEntry
            WHERE (@Entity IS NULL OR Entity = @Entity)
              AND (@EntityId IS NULL OR EntityId = @EntityId)
              AND (@Actor IS NULL OR Actor = @Actor)
              AND (@Action IS NULL OR Action = @Action)
              AND (@From IS NULL OR At >= @From)
              AND (@To IS NULL OR At <= @To)
              AND (@AfterAt IS NULL OR At < @AfterAt OR (At = @AfterAt AND Id < @AfterId))
            ORDER BY At DESC, Id DESC
            """;

        private const string Columns = "Id, At, ActorKind, ActorId, Actor, Entity, EntityId, Action, Before, After";
        private const string SqliteSql = $"SELECT {Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {Columns} {Filter}";

        private sealed class Row
        {
            public Guid Id { get; init; }
            public DateTimeOffset At { get; init; }
            public string ActorKind { get; init; } = "";
            public Guid? ActorId { get; init; }
            public string Actor { get; init; } = "";
            public string Entity { get; init; } = "";
            public string EntityId { get; init; } = "";
            public string Action { get; init; } = "";
            public string? Before { get; init; }
            public string? After { get; init; }
        }

        public async ValueTask<Page<AuditEntryResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            DateTimeOffset? afterAt = null;
            Guid? afterId = null;
            if (Paging.Decode(query.Cursor) is { } key && TryReadKey(key, out var at, out var id)) (afterAt, afterId) = (at, id);

            await using var connection = await db.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                query.Entity, query.EntityId, query.Actor, query.Action, query.From, query.To,
                AfterAt = afterAt, AfterId = afterId, Take = limit + 1,
            }, cancellationToken: ct))).ToList();

            var page = Paging.Of(rows, limit, r => $"{r.At.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{r.Id:D}");
            return new Page<AuditEntryResponse>(page.Items.Select(r => new AuditEntryResponse(r.Id, r.At, r.ActorKind, r.ActorId, r.Actor,
                r.Entity, r.EntityId, r.Action, Json(r.Before), Json(r.After))).ToList(), page.NextCursor);
        }

        private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static bool TryReadKey(string key, out DateTimeOffset at, out Guid id)
    {
        at = default;
        id = default;
        var parts = key.Split('|');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParse(parts[1], out id))
            return false;
        at = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}
