using System.Data.Common;
using System.Globalization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>A key result's check-in history, newest first, a page at a time.</summary>
public static class ListCheckIns
{
    public sealed record Query(Guid KeyResultId, int? Limit, string? Cursor) : IQuery<Page<CheckInResponse>>;

    public static async Task<Ok<Page<CheckInResponse>>> Endpoint(Guid keyResultId, ISender sender, CancellationToken ct, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(keyResultId, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor(key => long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect) : IQueryHandler<Query, Page<CheckInResponse>>
    {
        private const string ExistsSql = "SELECT COUNT(*) FROM KeyResult WHERE Id = @KeyResultId";

        private const string Filter = """
            FROM CheckIn
            WHERE KeyResultId = @KeyResultId AND (@Before IS NULL OR Sequence < @Before)
            ORDER BY Sequence DESC
            """;

        private const string Columns = "Id, KeyResultId, Sequence, Value, ValueSource, Confidence, Note, AuthorId, Author, CreatedAt";
        private const string SqliteSql = $"SELECT {Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {Columns} {Filter}";

        public async ValueTask<Page<CheckInResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            await using var connection = await db.OpenConnectionAsync(ct);
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(ExistsSql, new { query.KeyResultId }, cancellationToken: ct)) == 0)
                throw new NotFoundException($"Key result '{query.KeyResultId}' was not found.");
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                query.KeyResultId,
                Before = Paging.Decode(query.Cursor) is { } before ? long.Parse(before, CultureInfo.InvariantCulture) : (long?)null,
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();
            var page = Paging.Of(rows, limit, r => r.Sequence.ToString(CultureInfo.InvariantCulture));
            return new Page<CheckInResponse>(page.Items.Select(r => new CheckInResponse(r.Id, r.KeyResultId, r.Sequence, r.Value, r.ValueSource, r.Confidence, r.Note,
                r.AuthorId, r.Author, r.CreatedAt)).ToList(), page.NextCursor);
        }

        private sealed class Row
        {
            public Guid Id { get; init; }
            public Guid KeyResultId { get; init; }
            public long Sequence { get; init; }
            public decimal Value { get; init; }
            public CurrentValueSource ValueSource { get; init; }
            public int? Confidence { get; init; }
            public string? Note { get; init; }
            public Guid? AuthorId { get; init; }
            public string Author { get; init; } = "";
            public DateTimeOffset CreatedAt { get; init; }
        }
    }
}
