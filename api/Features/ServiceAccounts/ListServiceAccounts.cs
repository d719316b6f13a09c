using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.ServiceAccounts;

/// <summary>The organisation's service accounts, oldest first; their tokens are listed at GET /api/v1/tokens?userId=.</summary>
public static class ListServiceAccounts
{
    public sealed record Query(int? Limit, string? Cursor) : IQuery<Page<ServiceAccountResponse>>;

    public static async Task<Ok<Page<ServiceAccountResponse>>> Endpoint(ISender sender, CancellationToken ct, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor(key => Guid.TryParse(key, out _));
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect) : IQueryHandler<Query, Page<ServiceAccountResponse>>
    {
        // Ids are version 7 GUIDs: in id order is in order of creation.
        private const string Filter = """
            FROM AppUser
            WHERE IsServiceAccount = 1 AND (@After IS NULL OR Id > @After)
            ORDER BY Id
            """;

        private const string SqliteSql = $"SELECT {ServiceAccountResponse.Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {ServiceAccountResponse.Columns} {Filter}";
        private const string TeamsSql = "SELECT UserId, TeamId FROM TeamMember WHERE UserId IN @Ids ORDER BY TeamId";

        private sealed class Membership
        {
            public Guid UserId { get; init; }
            public Guid TeamId { get; init; }
        }

        public async ValueTask<Page<ServiceAccountResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            await using var connection = await db.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<ServiceAccountResponse.Row>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                After = Paging.Decode(query.Cursor) is { } after ? Guid.Parse(after) : (Guid?)null,
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();
            var page = Paging.Of(rows, limit, r => r.Id.ToString());
            // Text ids: Dapper expands IN lists without type handlers.
            var ids = page.Items.Select(r => r.Id.ToString("D")).ToList();
            var teams = (await connection.QueryAsync<Membership>(new CommandDefinition(TeamsSql, new { Ids = ids }, cancellationToken: ct)))
                .ToLookup(m => m.UserId, m => m.TeamId);
            return new Page<ServiceAccountResponse>(page.Items.Select(r => r.ToResponse(teams[r.Id])).ToList(), page.NextCursor);
        }
    }
}
