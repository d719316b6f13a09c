using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Reads one initiative.</summary>
public static class GetInitiative
{
    public sealed record Query(Guid InitiativeId) : IQuery<InitiativeResponse?>;

    public static async Task<Results<Ok<InitiativeResponse>, NotFound>> Endpoint(Guid initiativeId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        if (await sender.Send(new Query(initiativeId), ct) is not { } initiative) return TypedResults.NotFound();
        ETags.Set(response, initiative.Version);
        return TypedResults.Ok(initiative);
    }

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, InitiativeResponse?>
    {
        public async ValueTask<InitiativeResponse?> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await InitiativeResponse.FindAsync(connection, query.InitiativeId, ct);
        }
    }
}
