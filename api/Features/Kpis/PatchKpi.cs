using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;

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
        var expected = ETags.Required(ifMatch);
        var current = await sender.Send(new GetKpi.Query(idOrKey), ct) ?? throw new NotFoundException($"KPI '{idOrKey}' was not found.");
        if (expected is { } version && version != current.Version)
            throw new PreconditionFailedException($"KPI '{current.Key}' has changed since you read it (now version {current.Version}).");

        var patch = await MergePatch.ReadAsync(request, ct);
        var body = MergePatch.Apply(Definition(current), patch, json.Value.SerializerOptions);
        var kpi = await sender.Send(body with { IdOrKey = current.Id.ToString(), ExpectedVersion = current.Version }, ct);
        ETags.Set(response, kpi.Version);
        return TypedResults.Ok(kpi);
    }

    /// <summary>The KPI as the body of a full replacement.</summary>
    private static UpdateKpi.Command Definition(KpiResponse kpi) =>
        new(kpi.Key, kpi.Name, kpi.Description, kpi.Formula, kpi.Unit, kpi.ValueType, kpi.Frequency, kpi.Target, kpi.OwnerTeamId, kpi.Tags);
}
