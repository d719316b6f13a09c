using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Changes some of a key result's definition (JSON Merge Patch, If-Match): what the patch leaves out stays. Naming a
/// KPI by kpiKey replaces the linked kpiId. The result goes through the same rules as PUT.
/// </summary>
public static class PatchKeyResult
{
    public static async Task<Ok<KeyResultResponse>> Endpoint(Guid keyResultId, HttpRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, IOptions<JsonOptions> json, HttpResponse response, CancellationToken ct)
    {
        var expected = ETags.Required(ifMatch);
        var current = await sender.Send(new GetKeyResult.Query(keyResultId), ct) ?? throw new NotFoundException($"Key result '{keyResultId}' was not found.");
        if (expected is { } version && version != current.Version)
            throw new PreconditionFailedException($"Key result '{keyResultId}' has changed since you read it (now version {current.Version}).");

        var patch = await MergePatch.ReadAsync(request, ct);
        // The KPI is named once: a new key replaces the id the key result holds now.
        if (patch.ContainsKey("kpiKey") && !patch.ContainsKey("kpiId")) patch["kpiId"] = null;
        var definition = new UpdateKeyResult.Command(current.Title, current.Type, current.Unit, current.StartValue, current.TargetValue, current.Direction,
            current.Weight, current.OwnerTeamId, current.OwnerUserId, current.KpiId, null);
        var body = MergePatch.Apply(definition, patch, json.Value.SerializerOptions);
        var keyResult = await sender.Send(body with { KeyResultId = keyResultId, ExpectedVersion = current.Version }, ct);
        ETags.Set(response, keyResult.Version);
        return TypedResults.Ok(keyResult);
    }
}
