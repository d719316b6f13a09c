using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>The initiatives of a key result, oldest first (a key result has a handful; no paging needed, the list is capped).</summary>
public static class ListInitiatives
{
    public const int MaxItems = 200;

    public sealed record Query(Guid KeyResultId) : IQuery<Page<InitiativeResponse>>;

    public static async Task<Ok<Page<InitiativeResponse>>> Endpoint(Guid keyResultId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(keyResultId), ct));

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, Page<InitiativeResponse>>
    {
        private const string ExistsSql = "SELECT COUNT(*) FROM KeyResult WHERE Id = @KeyResultId";
        private const string ListSql = $"SELECT {InitiativeResponse.Columns} FROM Initiative WHERE KeyResultId = @KeyResultId ORDER BY Ordinal, CreatedAt, Id";

        public async ValueTask<Page<InitiativeResponse>> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(ExistsSql, new { query.KeyResultId }, cancellationToken: ct)) == 0)
                throw new NotFoundException($"Key result '{query.KeyResultId}' was not found.");
            var items = await connection.QueryAsync<InitiativeRow>(new CommandDefinition(ListSql, new { query.KeyResultId }, cancellationToken: ct));
            return new Page<InitiativeResponse>(items.Take(MaxItems).Select(r => r.ToResponse()).ToList(), null);
        }
    }
}
