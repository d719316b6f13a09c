using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Lists cycles, latest start first, optionally by status, a page at a time.</summary>
public static class ListCycles
{
    public sealed record Query(string? Status, int? Limit, string? Cursor) : IQuery<Page<CycleResponse>>;

    public static async Task<Ok<Page<CycleResponse>>> Endpoint(ISender sender, CancellationToken ct,
        string? status = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(status, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Status).OneOf(StrictJson.EnumValues<CycleStatus>().Keys, StringComparer.OrdinalIgnoreCase)
                .WithMessage($"status must be one of: {string.Join(", ", StrictJson.EnumValues<CycleStatus>().Keys)}.");
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor(key => CursorKey.TryParse(key, out _, out _));
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect) : IQueryHandler<Query, Page<CycleResponse>>
    {
        // Keyset on (StartDate, Id), newest first.
        private const string Filter = """
            FROM Cycle AS c
            WHERE (@AfterStart IS NULL OR c.StartDate < @AfterStart OR (c.StartDate = @AfterStart AND c.Id < @AfterId))
              AND (@Status IS NULL OR c.Status = @Status)
            ORDER BY c.StartDate DESC, c.Id DESC
            """;

        private const string SqliteSql = $"SELECT {CycleRow.Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {CycleRow.Columns} {Filter}";

        public async ValueTask<Page<CycleResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            DateOnly? afterStart = null;
            Guid? afterId = null;
            if (Paging.Decode(query.Cursor) is { } key && CursorKey.TryParse(key, out var start, out var id))
                (afterStart, afterId) = (start, id);

            await using var connection = await db.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<CycleRow>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                AfterStart = afterStart,
                AfterId = afterId,
                Status = query.Status is null ? null : StrictJson.EnumValues<CycleStatus>()[query.Status].ToString(),
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();
            var page = Paging.Of(rows, limit, r => CursorKey.Of(r.StartDate, r.Id));
            return new Page<CycleResponse>(page.Items.Select(r => r.ToResponse()).ToList(), page.NextCursor);
        }
    }
}

/// <summary>"2026-10-01|&lt;id&gt;": the sort key of an item ordered by a date, then by id.</summary>
internal static class CursorKey
{
    public static string Of(DateOnly date, Guid id) => $"{date:yyyy-MM-dd}|{id:D}";

    public static bool TryParse(string key, out DateOnly date, out Guid id)
    {
        id = Guid.Empty;
        date = default;
        var parts = key.Split('|');
        return parts.Length == 2
            && DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out date)
            && Guid.TryParse(parts[1], out id);
    }
}
