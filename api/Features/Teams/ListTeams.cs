using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Teams;

/// <summary>Lists teams by name, a page at a time, optionally only the children of one team.</summary>
public static class ListTeams
{
    public sealed record Query(int? Limit, string? Cursor, Guid? ParentTeamId) : IQuery<Page<TeamResponse>>;

    public static async Task<Ok<Page<TeamResponse>>> Endpoint(ISender sender, CancellationToken ct,
        int? limit = null, string? cursor = null, Guid? parentTeamId = null) =>
        TypedResults.Ok(await sender.Send(new Query(limit, cursor, parentTeamId), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor();
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect) : IQueryHandler<Query, Page<TeamResponse>>
    {
        private const string Filter = """
            FROM Team
            WHERE (@After IS NULL OR NameNormalized > @After)
              AND (@ParentTeamId IS NULL OR ParentTeamId = @ParentTeamId)
            ORDER BY NameNormalized
            """;

        private const string SqliteSql = $"SELECT Id, Name, ParentTeamId, Version, CreatedAt, UpdatedAt, NameNormalized {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) Id, Name, ParentTeamId, Version, CreatedAt, UpdatedAt, NameNormalized {Filter}";

        private sealed record Row(Guid Id, string Name, Guid? ParentTeamId, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string NameNormalized);

        public async ValueTask<Page<TeamResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            await using var connection = await db.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                After = Paging.Decode(query.Cursor),
                query.ParentTeamId,
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();

            var page = Paging.Of(rows, limit, r => r.NameNormalized);
            return new Page<TeamResponse>(
                page.Items.Select(r => new TeamResponse(r.Id, r.Name, r.ParentTeamId, r.Version, r.CreatedAt, r.UpdatedAt)).ToList(),
                page.NextCursor);
        }
    }
}
