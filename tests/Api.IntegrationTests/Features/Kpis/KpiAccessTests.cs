using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis;

/// <summary>
/// Who may change a KPI definition (docs/security.md): an admin anything, an editor what its teams own, a viewer nothing.
/// An unknown KPI is a 404 whoever asks; a refused write is a 403 problem and changes nothing.
/// </summary>
public sealed class KpiAccessTests : IntegrationTest
{
    private Guid _teamA;
    private Guid _teamB;

    [SetUp]
    public async Task GivenTwoTeams()
    {
        _teamA = (await GivenTeamAsync("Team A")).Id;
        _teamB = (await GivenTeamAsync("Team B")).Id;
    }

    private static HttpRequestMessage Put(string url, JsonNode body, long version) => new(HttpMethod.Put, url)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        Headers = { { "If-Match", $"\"{version}\"" } },
    };

    private static StringContent AsContent(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    [Test]
    public async Task An_editor_of_team_B_cannot_change_a_kpi_of_team_A()
    {
        var kpi = await GivenKpiAsync("defect-rate", _teamA);
        using var editorOfB = await Callers.GivenPersonClientAsync(Role.Editor, _teamB);
        var body = KpiBody("defect-rate", _teamA);
        body["name"] = "Renamed by B";

        var update = await editorOfB.SendAsync(Put("/api/v1/kpis/defect-rate", body, kpi.Version));
        var retire = await editorOfB.PostAsync("/api/v1/kpis/defect-rate/retire", null);
        var delete = await editorOfB.DeleteAsync("/api/v1/kpis/defect-rate");

        var problem = await ProblemAsync(update, HttpStatusCode.Forbidden);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("owned by a team you are not a member of"));
        await ProblemAsync(retire, HttpStatusCode.Forbidden);
        await ProblemAsync(delete, HttpStatusCode.Forbidden);
        var unchanged = await ReadAsync<KpiResponse>(await Api.GetAsync("/api/v1/kpis/defect-rate"));
        Assert.That((unchanged.Name, unchanged.Status, unchanged.Version), Is.EqualTo(("Defect rate", KpiStatus.Active, kpi.Version)));
    }

    [Test]
    public async Task An_editor_of_the_owning_team_changes_its_kpi()
    {
        var kpi = await GivenKpiAsync("defect-rate", _teamA);
        using var editorOfA = await Callers.GivenPersonClientAsync(Role.Editor, _teamA);
        var body = KpiBody("defect-rate", _teamA);
        body["name"] = "Renamed by A";

        var update = await editorOfA.SendAsync(Put("/api/v1/kpis/defect-rate", body, kpi.Version));
        var retire = await editorOfA.PostAsync("/api/v1/kpis/defect-rate/retire", null);

        Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.OK), await update.Content.ReadAsStringAsync());
        Assert.That(retire.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retire.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task An_unknown_kpi_is_404_even_for_a_caller_who_could_not_write_it()
    {
        using var editorOfB = await Callers.GivenPersonClientAsync(Role.Editor, _teamB);

        var response = await editorOfB.PostAsync("/api/v1/kpis/no-such-kpi/retire", null);

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_viewer_cannot_write_kpis()
    {
        await GivenKpiAsync("defect-rate", _teamA);
        using var viewer = await Callers.GivenPersonClientAsync(Role.Viewer, _teamA);

        var create = await viewer.PostAsync("/api/v1/kpis", AsContent(KpiBody("uptime", _teamA)));
        var retire = await viewer.PostAsync("/api/v1/kpis/defect-rate/retire", null);
        var read = await viewer.GetAsync("/api/v1/kpis/defect-rate");

        await ProblemAsync(create, HttpStatusCode.Forbidden);
        await ProblemAsync(retire, HttpStatusCode.Forbidden);
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "viewers read everything");
    }

    [Test]
    public async Task An_editor_creates_kpis_only_for_its_own_teams()
    {
        using var editorOfA = await Callers.GivenPersonClientAsync(Role.Editor, _teamA);

        var own = await editorOfA.PostAsync("/api/v1/kpis", AsContent(KpiBody("own", _teamA)));
        var other = await editorOfA.PostAsync("/api/v1/kpis", AsContent(KpiBody("other", _teamB)));
        var unowned = await editorOfA.PostAsync("/api/v1/kpis", AsContent(KpiBody("unowned")));

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created), await own.Content.ReadAsStringAsync());
        await ProblemAsync(other, HttpStatusCode.Forbidden);
        var problem = await ProblemAsync(unowned, HttpStatusCode.Forbidden);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("only an admin"));
        Assert.That((await Api.GetAsync("/api/v1/kpis/other")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Moving_a_kpi_to_another_team_needs_membership_of_both()
    {
        var kpi = await GivenKpiAsync("defect-rate", _teamA);
        using var editorOfA = await Callers.GivenPersonClientAsync(Role.Editor, _teamA);
        using var editorOfBoth = await Callers.GivenPersonClientAsync(Role.Editor, _teamA, _teamB);

        var refused = await editorOfA.SendAsync(Put("/api/v1/kpis/defect-rate", KpiBody("defect-rate", _teamB), kpi.Version));
        var moved = await editorOfBoth.SendAsync(Put("/api/v1/kpis/defect-rate", KpiBody("defect-rate", _teamB), kpi.Version));

        await ProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<KpiResponse>(moved)).OwnerTeamId, Is.EqualTo(_teamB));
    }

    [Test]
    public async Task A_kpi_without_an_owning_team_is_for_admins_to_change()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        using var editor = await Callers.GivenPersonClientAsync(Role.Editor, _teamA);

        var refused = await editor.SendAsync(Put("/api/v1/kpis/defect-rate", KpiBody("defect-rate", _teamA), kpi.Version));
        var byAdmin = await Api.SendAsync(Put("/api/v1/kpis/defect-rate", KpiBody("defect-rate", _teamA), kpi.Version));

        await ProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.That(byAdmin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_token_acts_with_its_scopes_within_its_owners_role()
    {
        var editor = await Callers.GivenUserAsync(Role.Editor, [_teamA]);
        using var readOnly = await Callers.GivenTokenClientAsync(editor, [Scopes.KpisRead]);
        using var adminScopeOfAnEditor = await Callers.GivenTokenClientAsync(editor, [Scopes.Admin, Scopes.KpisRead]);

        var byReadOnly = await readOnly.PostAsync("/api/v1/kpis", AsContent(KpiBody("own", _teamA)));
        var byAdminScope = await adminScopeOfAnEditor.PostAsync("/api/v1/kpis", AsContent(KpiBody("own", _teamA)));

        await ProblemAsync(byReadOnly, HttpStatusCode.Forbidden);
        await ProblemAsync(byAdminScope, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_kpi_import_by_an_editor_refuses_the_rows_of_other_teams_by_line()
    {
        await GivenKpiAsync("theirs", _teamB);
        using var editorOfA = await Callers.GivenPersonClientAsync(Role.Editor, _teamA);
        var csv = $"""
            key,name,valueType,frequency,comparator,target,ownerTeamId
            mine,Mine,number,daily,atLeast,1,{_teamA}
            theirs,Theirs renamed,number,daily,atLeast,1,{_teamB}
            new-for-b,New for B,number,daily,atLeast,1,{_teamB}
            """;

        var atomic = await editorOfA.PostAsync("/api/v1/kpis/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var partial = await editorOfA.PostAsync("/api/v1/kpis/import?mode=partial", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var refused = await ReadAsync<ImportKpis.Response>(atomic);
        Assert.That(atomic.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(refused.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3L, "key"), (4L, "ownerTeamId") }));
        Assert.That(refused.Errors[0].Reason, Does.Contain("not a member"));
        var stored = await ReadAsync<ImportKpis.Response>(partial);
        Assert.That((stored.Committed, stored.Created, stored.Updated, stored.Rejected), Is.EqualTo((true, 1L, 0L, 2L)));
        Assert.That((await Api.GetFromJsonAsync<KpiResponse>("/api/v1/kpis/theirs", Json))!.Name, Is.EqualTo("Defect rate"));
    }
}
