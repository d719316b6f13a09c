using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Teams;

/// <summary>Reads one team.</summary>
public static class GetTeam
{
    public sealed record Query(Guid TeamId) : IQuery<TeamResponse?>;

    public static async Task<Results<Ok<TeamResponse>, NotFound>> Endpoint(Guid teamId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        if (await sender.Send(new Query(teamId), ct) is not { } team) return TypedResults.NotFound();
        ETags.Set(response, team.Version);
        return TypedResults.Ok(team);
    }

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, TeamResponse?>
    {
        public async ValueTask<TeamResponse?> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await TeamResponse.LoadAsync(connection, query.TeamId, ct);
        }
    }
}
