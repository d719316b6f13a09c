using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>
/// Changes some fields of a KPI definition (JSON Merge Patch, If-Match): what the patch leaves out stays as it is.
/// The result goes through the same rules as a full replacement (PUT).
/// </summary>
public static class PatchKpi
{
    public static async Task<Ok<KpiResponse>> Endpoint(string idOrKey, HttpRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, IOptions<JsonOptions> json, HttpResponse response, CancellationToken ct)
    {
        var kpi = await MergePatch.UpdateAsync(request, ifMatch, $"KPI '{idOrKey}'",
            read: () => sender.Send(new GetKpi.Query(idOrKey), ct).AsTask(),
            version: current => current.Version,
            asBody: current => new UpdateKpi.Command(current.Key, current.Name, current.Description, current.Formula, current.Unit,
                current.ValueType, current.Frequency, current.Target, current.OwnerTeamId, current.Tags, current.Aggregation, current.FedBy),
            update: (current, body) => sender.Send(body with { IdOrKey = current.Id.ToString(), ExpectedVersion = current.Version }, ct).AsTask(),
            json.Value.SerializerOptions, ct);
        ETags.Set(response, kpi.Version);
        return TypedResults.Ok(kpi);
    }
}
