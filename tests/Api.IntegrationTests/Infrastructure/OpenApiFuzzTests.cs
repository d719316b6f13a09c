using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Security;
using OkrKpi.Api.IntegrationTests.Infrastructure.Fuzz;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>
/// Every operation of openapi.yaml, sent requests made from its description and then spoiled (see FuzzRequests), as the
/// admin's token, a viewer's token, an admin's browser session and nobody. None may answer 5xx, and every error must be a problem (application/problem+json with
/// its status). The seed is fixed, so a failure reproduces: OKRKPI_FUZZ_SEED and OKRKPI_FUZZ_REQUESTS change the
/// run, OKRKPI_FUZZ_ONLY=OperationId narrows it to one operation.
/// </summary>
public sealed class OpenApiFuzzTests : IntegrationTest
{
    private const int DefaultSeed = 20261124;
    private const int DefaultRequestsPerOperation = 80;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task No_operation_answers_a_spoiled_request_with_a_server_error_or_an_error_that_is_not_a_problem()
    {
        var seed = Setting("OKRKPI_FUZZ_SEED", DefaultSeed);
        var perOperation = Setting("OKRKPI_FUZZ_REQUESTS", DefaultRequestsPerOperation);
        var only = Environment.GetEnvironmentVariable("OKRKPI_FUZZ_ONLY");
        var document = ApiDocument.Load();
        var operations = document.Operations();
        using var client = Callers.Client();
        var failures = new List<string>();
        var sent = 0;

        Assert.That(operations, Has.Count.GreaterThan(0));
        for (var index = 0; index < operations.Count; index++)
        {
            var operation = operations[index];
            if (only is not null && operation.OperationId != only) continue;
            await ApiFixture.ResetDatabaseAsync();
            var world = await GivenWorldAsync();
            using var person = world.Person;
            for (var i = 0; i < perOperation; i++)
            {
                // Seeded per operation and request, so one request reproduces whatever ran before it.
                var random = new Random(unchecked(seed * 1_000_003 + index * 10_007 + i));
                var request = new FuzzRequests(document, world, random).For(operation);
                sent++;
                if (await FailureAsync(request.Caller == FuzzCaller.Person ? person.Client : client, request, world) is { } failure)
                    failures.Add($"{operation} request {i} (seed {seed}): {failure}\n    {request}");
            }
        }

        var summary = $"Fuzzed {operations.Count(o => only is null || o.OperationId == only)} operations of openapi.yaml with {sent} requests (seed {seed}): {failures.Count} failed.";
        TestContext.Progress.WriteLine(summary);
        Assert.That(failures, Is.Empty, summary + "\n" + string.Join("\n", failures.Take(60)));
    }

    /// <summary>What is wrong with the answer to <paramref name="request"/>, or null when nothing is.</summary>
    private static async Task<string?> FailureAsync(HttpClient client, FuzzRequest request, FuzzWorld world)
    {
        using var message = request.ToMessage(world);
        using var patience = new CancellationTokenSource(Patience);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, patience.Token);
        }
        catch (OperationCanceledException)
        {
            return $"no answer within {Patience.TotalSeconds:0} s";
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var excerpt = text.Length > 300 ? text[..300] + "…" : text;
            if (status >= 500) return $"answered {status}: {excerpt}";
            if (status < 400) return null;
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                return $"answered {status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}: {excerpt}";
            try
            {
                return JsonNode.Parse(text)?["status"]?.GetValue<int>() == status ? null : $"answered {status} with a problem of another status: {excerpt}";
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                return $"answered {status} with a problem that is not JSON: {excerpt}";
            }
        }
    }

    /// <summary>
    /// A team and a child team, an editor with a token, a KPI with a value, an active cycle with an objective, key result,
    /// check-in and initiative; a viewer's token and an admin's browser session.
    /// </summary>
    private static async Task<FuzzWorld> GivenWorldAsync()
    {
        var team = await GivenTeamAsync("Fuzz team");
        var other = await GivenTeamAsync("Fuzz child team", team.Id);
        var user = await Callers.GivenUserAsync(Role.Editor, [team.Id], email: "fuzz-editor@okrkpi.test");
        var tokenId = Guid.NewGuid();
        await Callers.GivenTokenAsync(user, tokenId, [Scopes.KpisRead]);
        var viewer = await Callers.GivenUserAsync(Role.Viewer, email: "fuzz-viewer@okrkpi.test");
        var viewerToken = await Callers.GivenBearerAsync(viewer, Scopes.All.Where(scope => Scopes.RoleNeeded(scope) <= Role.Viewer));

        var kpi = await GivenKpiAsync("fuzz-kpi", team.Id);
        await GivenMeasurementAsync(kpi.Id);
        var cycle = await CreatedAsync<CycleResponse>("/api/v1/cycles", new { name = "2026-Q3", startDate = "2026-07-01", endDate = "2026-09-30" });
        await Expect(await Api.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cycles/{cycle.Id}/activate")
            { Headers = { { "If-Match", $"\"{cycle.Version}\"" } } }));
        var objective = await CreatedAsync<ObjectiveResponse>("/api/v1/objectives",
            new { cycleId = cycle.Id, title = "Fuzz objective", ownerTeamId = team.Id, kpiIds = new[] { kpi.Id } });
        var keyResult = await CreatedAsync<KeyResultResponse>($"/api/v1/objectives/{objective.Id}/key-results",
            new { title = "Fuzz key result", type = "number", startValue = 0, targetValue = 100, ownerTeamId = team.Id });
        await CreatedAsync<JsonObject>($"/api/v1/key-results/{keyResult.Id}/check-ins", new { value = 10, confidence = 7, note = "fuzz" });
        var initiative = await CreatedAsync<InitiativeResponse>($"/api/v1/key-results/{keyResult.Id}/initiatives", new { title = "Fuzz initiative", status = "planned" });
        var person = new Browser();
        await person.GivenSessionAsync(await Callers.GivenUserAsync(Role.Admin, email: "fuzz-admin@okrkpi.test"));
        return new FuzzWorld(team.Id, other.Id, user, tokenId, kpi.Id, kpi.Key, cycle.Id, objective.Id, keyResult.Id, initiative.Id, viewerToken, person);
    }

    private static async Task<T> CreatedAsync<T>(string url, object body)
    {
        var response = await Api.PostAsJsonAsync(url, body, Json);
        await Expect(response);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    private static async Task Expect(HttpResponseMessage response) =>
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
