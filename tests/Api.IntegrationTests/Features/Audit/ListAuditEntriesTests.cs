using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;
using static OkrKpi.Api.IntegrationTests.Features.Measurements.MeasurementImports;

namespace OkrKpi.Api.IntegrationTests.Features.Audit;

/// <summary>
/// Every write of teams, KPIs and measurements leaves an audit entry (who, what, when, before/after) in its own
/// transaction, so a write that rolls back leaves none; admins read the log newest first with filters and paging.
/// </summary>
public sealed class ListAuditEntriesTests : IntegrationTest
{
    // The shared client acts with the admin's API token, so the log names the token, and the person through ActorId.
    private static readonly string AdminActor = $"token:{ApiTokens.Parse(Callers.AdminToken)!.Value.PublicId}";


    private sealed record Entry(Guid Id, DateTimeOffset At, string ActorKind, Guid? ActorId, string Actor, string Entity, string EntityId,
        string Action, JsonElement? Before, JsonElement? After);

    private sealed record EntryPage(List<Entry> Items, string? NextCursor);

    private static async Task<EntryPage> AuditAsync(string query = "", HttpClient? client = null)
    {
        var response = await (client ?? Api).GetAsync($"/api/v1/audit{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<EntryPage>(response);
    }

    private static string? Field(JsonElement? json, string name) =>
        json is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var value) ? value.ToString() : null;

    private static HttpRequestMessage WithIfMatch(HttpMethod method, string url, object? body, long version) => new(method, url)
    {
        Content = body is null ? null : JsonContent.Create(body),
        Headers = { { "If-Match", $"\"{version}\"" } },
    };

    [Test]
    public async Task Team_writes_are_logged_with_who_when_and_the_team_before_and_after()
    {
        var parent = await GivenTeamAsync("Operations");
        var team = await GivenTeamAsync("Quality");
        var renamed = await ReadAsync<OkrKpi.Api.Features.Teams.TeamResponse>(
            await Api.SendAsync(WithIfMatch(HttpMethod.Put, $"/api/v1/teams/{team.Id}/name", new { name = "Quality assurance" }, team.Version)));
        await Api.SendAsync(WithIfMatch(HttpMethod.Put, $"/api/v1/teams/{team.Id}/parent", new { parentTeamId = parent.Id }, renamed.Version));
        await Api.DeleteAsync($"/api/v1/teams/{team.Id}");

        var entries = (await AuditAsync($"?entity=team&entityId={team.Id}")).Items;

        Assert.That(entries.Select(e => e.Action), Is.EquivalentTo(new[] { "create", "rename", "move", "delete" }));
        Assert.That(entries.Select(e => (e.Actor, e.ActorKind, e.ActorId)), Has.All.EqualTo((AdminActor, "token", (Guid?)Callers.AdminId)));
        Assert.That(entries.Select(e => e.At), Has.All.EqualTo(ApiFixture.Clock.GetUtcNow()));
        var rename = entries.Single(e => e.Action == "rename");
        Assert.That((Field(rename.Before, "name"), Field(rename.After, "name")), Is.EqualTo(("Quality", "Quality assurance")));
        var move = entries.Single(e => e.Action == "move");
        Assert.That((Field(move.Before, "parentTeamId"), Field(move.After, "parentTeamId")), Is.EqualTo(("", parent.Id.ToString())));
        var delete = entries.Single(e => e.Action == "delete");
        Assert.That((Field(delete.Before, "name"), delete.After), Is.EqualTo(("Quality assurance", (JsonElement?)null)));
        Assert.That(entries.Single(e => e.Action == "create").Before, Is.Null);
    }

    [Test]
    public async Task Kpi_writes_are_logged_with_the_kpi_before_and_after()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var body = KpiBody();
        body["name"] = "Defect ratio";
        var updated = await ReadAsync<OkrKpi.Api.Features.Kpis.KpiResponse>(
            await Api.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/v1/kpis/defect-rate")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
                Headers = { { "If-Match", $"\"{kpi.Version}\"" } },
            }));
        await Api.PostAsync("/api/v1/kpis/defect-rate/retire", null);
        await Api.PostAsync("/api/v1/kpis/defect-rate/retire", null);   // a repeat changes nothing
        await Api.PostAsync("/api/v1/kpis/defect-rate/reactivate", null);
        await Api.DeleteAsync("/api/v1/kpis/defect-rate");

        var entries = (await AuditAsync($"?entity=kpi&entityId={kpi.Id}")).Items;

        Assert.That(entries.Select(e => e.Action), Is.EquivalentTo(new[] { "create", "update", "retire", "reactivate", "delete" }));
        var update = entries.Single(e => e.Action == "update");
        Assert.That((Field(update.Before, "name"), Field(update.After, "name"), Field(update.After, "version")),
            Is.EqualTo(("Defect rate", "Defect ratio", updated.Version.ToString())));
        var retire = entries.Single(e => e.Action == "retire");
        Assert.That((Field(retire.Before, "status"), Field(retire.After, "status")), Is.EqualTo(("active", "retired")));
        Assert.That(entries.Single(e => e.Action == "delete").After, Is.Null);
    }

    [Test]
    public async Task A_kpi_import_logs_each_kpi_it_created_or_updated()
    {
        await GivenKpiAsync("uptime");
        const string csv = "key,name,valueType,frequency,comparator,target\nuptime,Uptime renamed,percentage,daily,atMost,2\nnew-one,New one,number,daily,atLeast,1\n";

        var response = await Api.PostAsync("/api/v1/kpis/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var entries = (await AuditAsync("?entity=kpi")).Items;
        Assert.That(entries.Select(e => (e.Action, Field(e.After, "key"))),
            Is.EquivalentTo(new[] { ("create", "uptime"), ("update", "uptime"), ("create", "new-one") }));
    }

    [Test]
    public async Task Measurement_writes_are_logged_per_push_and_per_batch_or_import_with_counts()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1m);
        await GivenMeasurementAsync(kpi.Id, 2m);
        await GivenMeasurementAsync(kpi.Id, 2m);   // unchanged: nothing to log
        await Api.PostAsync("/api/v1/measurements/batch", new StringContent(
            """{"items":[{"kpi":"defect-rate","period":"2026-07-13","value":3},{"kpi":"defect-rate","period":"2026-07-12","value":4}]}""",
            Encoding.UTF8, "application/json"));
        await ImportAsync(Api, Csv("kpi,period,value\ndefect-rate,2026-07-11,5\ndefect-rate,2026-07-12,6\n"));
        await Api.DeleteAsync("/api/v1/kpis/defect-rate/measurements/2026-07-14");

        var values = (await AuditAsync($"?entity=measurement&entityId={kpi.Id}/2026-07-14")).Items;
        var batch = (await AuditAsync("?entity=measurement-batch")).Items.Single();
        var import = (await AuditAsync("?entity=measurement-import")).Items.Single();

        Assert.That(values.Select(e => (e.Action, Field(e.Before, "value"), Field(e.After, "value"))),
            Is.EquivalentTo(new[] { ("create", null, "1"), ("update", "1", "2"), ("delete", "2", null) }));
        Assert.That(values.Select(e => Field(e.After ?? e.Before, "recordedBy")), Has.All.EqualTo(AdminActor));
        Assert.That((batch.Action, Field(batch.After, "created"), Field(batch.After, "mode")), Is.EqualTo(("push", "2", "atomic")));
        Assert.That((import.Action, Field(import.After, "created"), Field(import.After, "updated"), Field(import.After, "rows")),
            Is.EqualTo(("import", "1", "1", "2")));
    }

    [Test]
    public async Task Event_writes_are_logged_per_recorded_event_and_per_batch_but_not_for_a_redelivery()
    {
        var kpi = await GivenKpiAsync("deployments", change: body =>
        {
            body["fedBy"] = "events";
            body["aggregation"] = "count";
            body["unit"] = null;
        });
        var deploy = new JsonObject { ["occurredAt"] = "2026-07-14T10:00:00Z", ["eventId"] = "deploy-1" };
        var recorded = await PostJsonAsync("/api/v1/kpis/deployments/events", deploy);
        await PostJsonAsync("/api/v1/kpis/deployments/events", deploy.DeepClone());   // a redelivery: nothing to log
        await PostJsonAsync("/api/v1/events", JsonNode.Parse("""{"items":[{"kpi":"deployments","occurredAt":"2026-07-14T11:00:00Z"}]}""")!);

        var eventId = (await ReadAsync<JsonObject>(recorded))["event"]!["id"]!.GetValue<Guid>();
        var single = (await AuditAsync("?entity=event")).Items.Single();
        var batch = (await AuditAsync("?entity=event-batch")).Items.Single();

        Assert.That((single.EntityId, single.Action, single.Before, single.Actor), Is.EqualTo((eventId.ToString(), "record", (JsonElement?)null, AdminActor)));
        Assert.That(single.After?.GetProperty("event").GetProperty("eventId").GetString(), Is.EqualTo("deploy-1"));
        Assert.That((Field(single.After?.GetProperty("period"), "kpiId"), Field(single.After?.GetProperty("period"), "value")), Is.EqualTo((kpi.Id.ToString(), "1")));
        Assert.That((batch.Action, Field(batch.After, "created"), Field(batch.After, "unchanged")), Is.EqualTo(("record", "1", "0")));
    }

    [Test]
    public async Task A_write_that_rolls_back_leaves_no_entry()
    {
        await GivenKpiAsync("uptime");
        await using (var connection = await ApiFixture.Database.OpenAsync())
            await connection.ExecuteAsync("DELETE FROM AuditEntry");
        // The first row is created and logged, then the second fails and the atomic import rolls both back.
        const string csv = "key,name,valueType,frequency,comparator,target\nfirst,First,number,daily,atLeast,1\nsecond,Second,number,fortnightly,atLeast,1\n";

        var import = await Api.PostAsync("/api/v1/kpis/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var conflict = await Api.PostAsync("/api/v1/kpis", new StringContent(KpiBody("uptime").ToJsonString(), Encoding.UTF8, "application/json"));
        var atomicBatch = await Api.PostAsync("/api/v1/kpis/uptime/measurements/batch", new StringContent(
            """{"items":[{"period":"2026-07-14","value":1},{"period":"2099-01-01","value":2}]}""", Encoding.UTF8, "application/json"));

        Assert.That(import.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(conflict.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(atomicBatch.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await AuditAsync()).Items, Is.Empty);
    }

    [Test]
    public async Task Reads_newest_first_a_page_at_a_time_with_filters()
    {
        var start = ApiFixture.Clock.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            await GivenTeamAsync($"Team {i}");
            ApiFixture.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var first = await AuditAsync("?limit=2");
        var second = await AuditAsync($"?limit=2&cursor={first.NextCursor}");
        var third = await AuditAsync($"?limit=2&cursor={second.NextCursor}");
        var window = await AuditAsync($"?from={Uri.EscapeDataString(start.AddMinutes(1).ToString("O"))}&to={Uri.EscapeDataString(start.AddMinutes(2).ToString("O"))}");

        var names = first.Items.Concat(second.Items).Concat(third.Items).Select(e => Field(e.After, "name"));
        Assert.That(names, Is.EqualTo(new[] { "Team 4", "Team 3", "Team 2", "Team 1", "Team 0" }));
        Assert.That(third.NextCursor, Is.Null);
        Assert.That(window.Items.Select(e => Field(e.After, "name")), Is.EqualTo(new[] { "Team 2", "Team 1" }));
        Assert.That((await AuditAsync($"?actor={Uri.EscapeDataString(AdminActor)}&action=create")).Items, Has.Count.EqualTo(5));
        Assert.That((await AuditAsync("?actor=someone-else@okrkpi.test")).Items, Is.Empty);
        await FieldErrorsAsync(await Api.GetAsync("/api/v1/audit?cursor=not-ours"), "cursor");
    }

    [Test]
    public async Task Only_admins_read_the_audit_log()
    {
        var team = (await GivenTeamAsync("Quality")).Id;
        using var editor = await Callers.GivenPersonClientAsync(Role.Editor, team);
        using var viewer = await Callers.GivenPersonClientAsync(Role.Viewer);

        await ProblemAsync(await editor.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden);
        await ProblemAsync(await viewer.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden);
        await ProblemAsync(await Callers.Client().GetAsync("/api/v1/audit"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_token_is_logged_by_its_public_id()
    {
        var team = (await GivenTeamAsync("Quality")).Id;
        var kpi = await GivenKpiAsync("defect-rate", team);
        using var editor = await Callers.GivenPersonClientAsync(Role.Editor, team);
        var publicId = ApiTokens.Parse(editor.DefaultRequestHeaders.Authorization!.Parameter!)!.Value.PublicId;

        var pushed = await editor.PostAsync("/api/v1/kpis/defect-rate/measurements",
            new StringContent("""{"period":"2026-07-14","value":1}""", Encoding.UTF8, "application/json"));

        Assert.That(pushed.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var entry = (await AuditAsync($"?entity=measurement&entityId={kpi.Id}/2026-07-14")).Items.Single();
        Assert.That((entry.Actor, entry.ActorKind), Is.EqualTo(($"token:{publicId}", "token")));
    }
}
