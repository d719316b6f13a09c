using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>
/// Issue 6's "done when", through HTTP alone: create the cycle, write aligned objectives and key results, link a key
/// result to a KPI, push KPI values and watch the key result and objective move, check in, close the cycle, and read
/// the evaluation and the matrix (JSON and CSV).
/// </summary>
public sealed class RunAQuarterTests : OkrTest
{
    [Test]
    public async Task A_newcomer_runs_a_quarter_from_an_empty_cycle_to_its_evaluation_and_matrix()
    {
        var suggested = await GetJsonAsync($"/api/v1/cycles/next");
        Assert.That(suggested["name"]!.GetValue<string>(), Is.EqualTo("2026-Q3"));
        var cycle = await ReadAsync<CycleResponse>(await PostOkAsync("/api/v1/cycles", new JsonObject(), HttpStatusCode.Created));
        await PostOkAsync($"/api/v1/cycles/{cycle.Id}/activate", null, HttpStatusCode.OK);

        var sales = await GivenTeamAsync("Sales & Marketing");
        var revenue = await GivenKpiAsync("monthly-sales-revenue", sales.Id, b =>
        {
            b["name"] = "Monthly sales revenue";
            b["unit"] = "EUR";
            b["valueType"] = "currency";
            b["frequency"] = "monthly";
            b["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 1_000_000, ["warning"] = 900_000 };
        });
        var company = await ReadAsync<ObjectiveResponse>(await PostOkAsync("/api/v1/objectives", new JsonObject
        {
            ["cycleId"] = cycle.Id.ToString(), ["title"] = "Grow profitably", ["ownerTeamId"] = sales.Id.ToString(),
        }, HttpStatusCode.Created));
        var objective = await ReadAsync<ObjectiveResponse>(await PostOkAsync("/api/v1/objectives", new JsonObject
        {
            ["cycleId"] = cycle.Id.ToString(), ["title"] = "Increase sales revenue", ["ownerTeamId"] = sales.Id.ToString(),
            ["parentObjectiveId"] = company.Id.ToString(), ["kpiIds"] = new JsonArray(revenue.Id.ToString()),
        }, HttpStatusCode.Created));
        var revenueKr = await ReadAsync<KeyResultResponse>(await PostOkAsync($"/api/v1/objectives/{objective.Id}/key-results", new JsonObject
        {
            ["title"] = "Monthly revenue from 800k to 1.2M EUR", ["type"] = "currency", ["unit"] = "EUR",
            ["startValue"] = 800_000, ["targetValue"] = 1_200_000, ["kpiKey"] = "monthly-sales-revenue",
        }, HttpStatusCode.Created));
        var dealsKr = await ReadAsync<KeyResultResponse>(await PostOkAsync($"/api/v1/objectives/{objective.Id}/key-results", new JsonObject
        {
            ["title"] = "Close 20 new enterprise deals", ["startValue"] = 0, ["targetValue"] = 20,
        }, HttpStatusCode.Created));
        Assert.That((await ObjectiveAsync(objective.Id)).Progress, Is.EqualTo(0m));

        await PushOkAsync(900_000, "2026-07");
        Assert.That((await KeyResultAsync(revenueKr.Id)).Progress, Is.EqualTo(0.25m));
        Assert.That((await ObjectiveAsync(objective.Id)).Progress, Is.EqualTo(0.125m));

        await PushOkAsync(1_100_000, "2026-07");
        Assert.That((await KeyResultAsync(revenueKr.Id)).CurrentValue, Is.EqualTo(1_100_000m), "a corrected value for the same month replaces it");
        Assert.That((await ObjectiveAsync(objective.Id)).Progress, Is.EqualTo(0.375m));

        var checkIn = await CheckInAsync(dealsKr.Id, 5, confidence: 6, note: "pipeline looks good");
        Assert.That(checkIn.StatusCode, Is.EqualTo(HttpStatusCode.Created), await checkIn.Content.ReadAsStringAsync());
        Assert.That((await CheckInAsync(revenueKr.Id, 1)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a KPI-linked key result follows its KPI");
        var running = await ObjectiveAsync(objective.Id);
        Assert.That((running.Progress, running.Health), Is.EqualTo(((decimal?)0.5m, (OkrHealth?)OkrHealth.OnTrack)));

        var tree = await ReadAsync<GetAlignment.Response>(await GetOkAsync($"/api/v1/cycles/{cycle.Id}/alignment"));
        Assert.That(tree.Nodes.Select(n => (n.Title, n.Depth, n.Progress)), Is.EqualTo(new[]
        {
            ("Grow profitably", 0, (decimal?)null),
            ("Increase sales revenue", 1, (decimal?)0.5m),
        }));

        ApiFixture.Clock.AdjustTime(new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.Zero));
        await PushOkAsync(1_200_000, "2026-09");
        await CheckInAsync(dealsKr.Id, 14, confidence: 8);
        await PostOkAsync($"/api/v1/cycles/{cycle.Id}/close", null, HttpStatusCode.OK);
        await PushOkAsync(1_500_000, "2026-10");

        var evaluation = await ReadAsync<GetCycleEvaluation.Response>(await GetOkAsync($"/api/v1/cycles/{cycle.Id}/evaluation"));
        Assert.That(evaluation.Final, Is.True);
        var scored = evaluation.Objectives.Single(o => o.Id == objective.Id);
        Assert.That((scored.Score, scored.Provisional), Is.EqualTo(((decimal?)0.85m, false)), "(1 + 14/20) / 2, frozen at close");
        Assert.That(scored.KeyResults.Select(k => (k.Title, k.Value, k.Final, k.Progress)), Is.EqualTo(new[]
        {
            ("Monthly revenue from 800k to 1.2M EUR", (decimal?)1_200_000m, true, 1m),
            ("Close 20 new enterprise deals", (decimal?)14m, true, 0.7m),
        }));
        Assert.That(evaluation.Objectives.Single(o => o.Id == company.Id).Score, Is.Null, "no key results, no score");

        var matrix = await ReadAsync<GetOkrKpiMatrix.Response>(await GetOkAsync($"/api/v1/cycles/{cycle.Id}/matrix"));
        var row = matrix.Objectives.Single(o => o.Id == objective.Id);
        Assert.That(row.KeyResults[0].CurrentValue, Is.EqualTo(1_200_000m), "the frozen value, not the KPI's newer one");
        Assert.That(row.KeyResults[0].Kpi!.Latest!.Value!.ToString(), Is.EqualTo("1200000"), "the KPI as it stood at the cycle's end, not October's 1.5M");
        Assert.That(row.Kpis.Single().DisplayStatus, Is.EqualTo("onTarget"));

        var csv = await GetOkAsync($"/api/v1/cycles/{cycle.Id}/matrix?format=csv");
        Assert.That(csv.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        var lines = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1 + 4), "header; company objective; two key results; one health metric");
        Assert.That(lines.Count(l => l.Contains(",keyResult,monthly-sales-revenue,") && l.Contains(",0.85,")), Is.EqualTo(1), string.Join('\n', lines));
    }

    private static async Task PushOkAsync(decimal value, string period)
    {
        var response = await PushValueAsync("monthly-sales-revenue", value, period);
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonObject> GetJsonAsync(string url) =>
        JsonNode.Parse(await (await GetOkAsync(url)).Content.ReadAsStringAsync())!.AsObject();

    private static async Task<HttpResponseMessage> GetOkAsync(string url)
    {
        var response = await Api.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{url}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static async Task<HttpResponseMessage> PostOkAsync(string url, JsonNode? body, HttpStatusCode expected)
    {
        var response = body is null ? await Api.PostAsync(url, null) : await PostJsonAsync(url, body);
        Assert.That(response.StatusCode, Is.EqualTo(expected), $"{url}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
