using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>The initiatives of an objective as a whole (not those of its key results), oldest first, capped like a key result's.</summary>
public static class ListObjectiveInitiatives
{
    public static async Task<Ok<Page<InitiativeResponse>>> Endpoint(Guid objectiveId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListInitiatives.Query(InitiativeOwner.OfObjective(objectiveId)), ct));
}
