using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>The initiatives of an objective as a whole (not those of its key results), oldest first, capped like a key result's.</summary>
public static class ListObjectiveInitiatives
{
    public sealed record Query(Guid ObjectiveId) : IQuery<Page<InitiativeResponse>>;

    public static async Task<Ok<Page<InitiativeResponse>>> Endpoint(Guid objectiveId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(objectiveId), ct));

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, Page<InitiativeResponse>>
    {
        private const string ExistsSql = "SELECT COUNT(*) FROM Objective WHERE Id = @ObjectiveId";
        private const string ListSql = $"SELECT {InitiativeResponse.Columns} FROM Initiative WHERE ObjectiveId = @ObjectiveId ORDER BY Ordinal, CreatedAt, Id";

        public async ValueTask<Page<InitiativeResponse>> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(ExistsSql, new { query.ObjectiveId }, cancellationToken: ct)) == 0)
                throw new NotFoundException($"Objective '{query.ObjectiveId}' was not found.");
            var items = await connection.QueryAsync<InitiativeRow>(new CommandDefinition(ListSql, new { query.ObjectiveId }, cancellationToken: ct));
            return new Page<InitiativeResponse>(items.Take(ListInitiatives.MaxItems).Select(r => r.ToResponse()).ToList(), null);
        }
    }
}
