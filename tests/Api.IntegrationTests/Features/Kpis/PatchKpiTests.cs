using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis;

/// <summary>PATCH /kpis/{idOrKey} with a JSON Merge Patch: what it names changes, what it leaves out stays.</summary>
public sealed class PatchKpiTests : IntegrationTest
{
    [Test]
    public async Task Changes_the_named_fields_and_keeps_the_rest()
    {
        var team = await GivenTeamAsync("Manufacturing");
        var kpi = await GivenKpiAsync(ownerTeamId: team.Id);

        var response = await PatchAsync($"/api/v1/kpis/{kpi.Key}", new JsonObject { ["name"] = "Scrap rate", ["target"] = new JsonObject { ["value"] = 1.5 } }, $"\"{kpi.Version}\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var patched = await ReadAsync<KpiResponse>(response);
        Assert.That(patched.Name, Is.EqualTo("Scrap rate"));
        Assert.That(patched.Target, Is.EqualTo(kpi.Target with { Value = 1.5m }), "a nested object is merged, not replaced");
        Assert.That((patched.Description, patched.OwnerTeamId, patched.Tags, patched.Formula), Is.EqualTo((kpi.Description, kpi.OwnerTeamId, kpi.Tags, kpi.Formula)));
        Assert.That(response.Headers.ETag!.Tag, Is.EqualTo($"\"{patched.Version}\""));
        Assert.That(patched.Version, Is.EqualTo(kpi.Version + 1));
    }

    [Test]
    public async Task Null_clears_an_optional_field_but_not_a_required_one()
    {
        var kpi = await GivenKpiAsync();

        var cleared = await PatchAsync($"/api/v1/kpis/{kpi.Key}", new JsonObject { ["description"] = null }, $"\"{kpi.Version}\"");
        var required = await PatchAsync($"/api/v1/kpis/{kpi.Key}", new JsonObject { ["name"] = null }, "*");

        Assert.That((await ReadAsync<KpiResponse>(cleared)).Description, Is.Null);
        Assert.That(await FieldErrorsAsync(required, "name"), Has.Some.Contain("required"));
    }

    [Test]
    public async Task Needs_if_match_and_refuses_a_stale_one()
    {
        var kpi = await GivenKpiAsync();
        var patch = new JsonObject { ["unit"] = "ppm" };

        await ProblemAsync(await PatchAsync($"/api/v1/kpis/{kpi.Key}", patch, ifMatch: null), HttpStatusCode.PreconditionRequired);
        await ProblemAsync(await PatchAsync($"/api/v1/kpis/{kpi.Key}", patch, $"\"{kpi.Version + 1}\""), HttpStatusCode.PreconditionFailed);
        Assert.That((await ReadAsync<KpiResponse>(await Api.GetAsync($"/api/v1/kpis/{kpi.Key}"))).Unit, Is.EqualTo(kpi.Unit));
    }

    [Test]
    public async Task Refuses_unknown_members_wrong_types_and_bodies_that_are_not_merge_patches()
    {
        var kpi = await GivenKpiAsync();
        var url = $"/api/v1/kpis/{kpi.Key}";

        await FieldErrorsAsync(await PatchAsync(url, new JsonObject { ["colour"] = "red" }, "*"), "colour");
        await FieldErrorsAsync(await PatchAsync(url, new JsonObject { ["name"] = 12 }, "*"), "name");
        await FieldErrorsAsync(await PatchAsync(url, new JsonArray(), "*"), "body");
        await ProblemAsync(await PatchAsync(url, new JsonObject { ["unit"] = "ppm" }, "*", "application/json"), HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(await PatchAsync("/api/v1/kpis/no-such-kpi", new JsonObject { ["unit"] = "ppm" }, "*"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Keeps_the_frozen_rules_of_a_measured_kpi()
    {
        var kpi = await GivenKpiAsync();
        await GivenMeasurementAsync(kpi.Id);

        var response = await PatchAsync($"/api/v1/kpis/{kpi.Key}", new JsonObject { ["frequency"] = "weekly" }, "*");

        await ProblemAsync(response, HttpStatusCode.Conflict);
    }
}
