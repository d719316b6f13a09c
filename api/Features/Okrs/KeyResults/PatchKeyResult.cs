using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

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
        var keyResult = await MergePatch.UpdateAsync(request, ifMatch, $"Key result '{keyResultId}'",
            read: () => sender.Send(new GetKeyResult.Query(keyResultId), ct).AsTask(),
            version: current => current.Version,
            asBody: current => new UpdateKeyResult.Command(current.Title, current.Type, current.Unit, current.StartValue,
                current.Change is null ? current.TargetValue : null, current.Direction, current.Comparator,
                current.Change is { } change ? new KeyResultChange(change.Percent, change.By, change.Baseline is null ? BaselineSource.FirstCheckIn : null) : null,
                current.StartDate, current.DueDate, current.TimeframeReason, current.Weight, current.OwnerTeamId, current.OwnerUserId, current.KpiId, null),
            update: (current, body) => sender.Send(body with { KeyResultId = keyResultId, ExpectedVersion = current.Version }, ct).AsTask(),
            json.Value.SerializerOptions, ct,
            // The KPI is named once: a new key replaces the id the key result holds now.
            adjust: patch =>
            {
                if (patch.ContainsKey("kpiKey") && !patch.ContainsKey("kpiId")) patch["kpiId"] = null;
                // A new absolute target ends a relative declaration; a new change replaces the target.
                if (patch.ContainsKey("targetValue") && !patch.ContainsKey("change")) patch["change"] = null;
            });
        ETags.Set(response, keyResult.Version);
        return TypedResults.Ok(keyResult);
    }
}
