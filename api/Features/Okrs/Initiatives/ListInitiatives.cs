using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>The initiatives of a key result, oldest first (a key result has a handful; no paging needed, the list is capped).</summary>
public static class ListInitiatives
{
    public const int MaxItems = 200;

    /// <summary>The initiatives of one owner, a key result or an objective; the objective's route comes here too.</summary>
    public sealed record Query(InitiativeOwner Owner) : IQuery<Page<InitiativeResponse>>;

    public static async Task<Ok<Page<InitiativeResponse>>> Endpoint(Guid keyResultId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(InitiativeOwner.OfKeyResult(keyResultId)), ct));

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, Page<InitiativeResponse>>
    {
        public async ValueTask<Page<InitiativeResponse>> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await query.Owner.EnsureExistsAsync(connection, ct);
            var items = await connection.QueryAsync<InitiativeRow>(new CommandDefinition(InitiativeOwner.ListSql, new { query.Owner.KeyResultId, query.Owner.ObjectiveId },
                cancellationToken: ct));
            return new Page<InitiativeResponse>(items.Take(MaxItems).Select(r => r.ToResponse()).ToList(), null);
        }
    }
}
