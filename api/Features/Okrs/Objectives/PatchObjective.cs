using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Changes some of an objective's title, description, owner, alignment, status and linked KPIs (JSON Merge Patch,
/// If-Match): what the patch leaves out, its alignment included, stays. The result goes through the same rules as PUT.
/// </summary>
public static class PatchObjective
{
    public static async Task<Ok<ObjectiveResponse>> Endpoint(Guid objectiveId, HttpRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, IOptions<JsonOptions> json, HttpResponse response, CancellationToken ct)
    {
        var objective = await MergePatch.UpdateAsync(request, ifMatch, $"Objective '{objectiveId}'",
            read: () => sender.Send(new GetObjective.Query(objectiveId), ct).AsTask(),
            version: current => current.Version,
            asBody: current => new UpdateObjective.Command(current.Title, current.Description, current.OwnerTeamId, current.OwnerUserId,
                current.ParentObjectiveId, current.Status, current.Kpis.Select(k => k.Id).ToList()),
            update: (current, body) => sender.Send(body with { ObjectiveId = objectiveId, ExpectedVersion = current.Version }, ct).AsTask(),
            json.Value.SerializerOptions, ct);
        ETags.Set(response, objective.Version);
        return TypedResults.Ok(objective);
    }
}
