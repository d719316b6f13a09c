using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;

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
        var expected = ETags.Required(ifMatch);
        var current = await sender.Send(new GetObjective.Query(objectiveId), ct) ?? throw new NotFoundException($"Objective '{objectiveId}' was not found.");
        if (expected is { } version && version != current.Version)
            throw new PreconditionFailedException($"Objective '{objectiveId}' has changed since you read it (now version {current.Version}).");

        var patch = await MergePatch.ReadAsync(request, ct);
        var fields = new UpdateObjective.Command(current.Title, current.Description, current.OwnerTeamId, current.OwnerUserId, current.ParentObjectiveId,
            current.Status, current.Kpis.Select(k => k.Id).ToList());
        var body = MergePatch.Apply(fields, patch, json.Value.SerializerOptions);
        var objective = await sender.Send(body with { ObjectiveId = objectiveId, ExpectedVersion = current.Version }, ct);
        ETags.Set(response, objective.Version);
        return TypedResults.Ok(objective);
    }
}
