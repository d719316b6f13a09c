using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>The whole-cycle reads: alignment tree, OKR–KPI matrix (JSON and CSV), evaluation and health check.</summary>
public sealed class CycleReadsTests : OkrTest
{
    private static readonly string[] Reads = ["alignment", "matrix", "evaluation", "health-check"];

    [Test]
    public async Task The_alignment_tree_puts_objectives_under_their_parents_with_the_enclosing_cycles_objective_marked_as_a_root()
    {
        var year = await GivenCycleAsync("2026", "2026-01-01", "2026-12-31");
        var quarter = await GivenCycleAsync();
        var company = await GivenObjectiveAsync(year.Id, title: "Be the customers' favourite");
        var team = await GivenObjectiveAsync(quarter.Id, title: "Improve customer satisfaction", parentObjectiveId: company.Id);
        var sub = await GivenObjectiveAsync(quarter.Id, title: "Answer every ticket within a day", parentObjectiveId: team.Id);
        var lone = await GivenObjectiveAsync(quarter.Id, title: "Tidy the backlog");
        var keyResult = await GivenKeyResultAsync(team.Id, start: 31, target: 45);
        await CheckInAsync(keyResult.Id, 38);

        var tree = await GetAsync<GetAlignment.Response>($"/api/v1/cycles/{quarter.Id}/alignment");

        Assert.That(tree.ObjectiveCount, Is.EqualTo(3));
        Assert.That(tree.Nodes.Select(n => (n.Id, n.Depth, n.InCycle, n.ChildCount)), Is.EqualTo(new[]
        {
            (company.Id, 0, false, 1),
            (team.Id, 1, true, 1),
            (sub.Id, 2, true, 0),
            (lone.Id, 0, true, 0),
        }));
        var teamNode = tree.Nodes[1];
        Assert.That((teamNode.Progress, teamNode.ExpectedProgress, teamNode.Health), Is.EqualTo(((decimal?)0.5m, Q3Expected, (OkrHealth?)OkrHealth.OnTrack)));
        Assert.That(teamNode.KeyResults.Single().CurrentValue, Is.EqualTo(38m));
        Assert.That(tree.Nodes[2].Progress, Is.Null, "an objective without key results has no progress");
    }

    [Test]
    public async Task The_matrix_shows_key_results_with_their_kpi_and_the_objectives_health_metrics_with_latest_value_target_and_status()
    {
        var cycle = await GivenCycleAsync();
        var nps = await GivenKpiAsync("nps", change: b =>
        {
            b["name"] = "Net promoter score";
            b["unit"] = "score";
            b["valueType"] = "number";
            b["frequency"] = "monthly";
            b["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 45, ["warning"] = 30 };
        });
        var defects = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(nps.Id, 38m);
        await GivenMeasurementAsync(defects.Id, 1.5m);
        var objective = await GivenObjectiveAsync(cycle.Id, change: b => b["kpiIds"] = new JsonArray(defects.Id.ToString()));
        var linked = await GivenKeyResultAsync(objective.Id, change: b => b["kpiKey"] = "nps");
        await GivenKeyResultAsync(objective.Id, start: 0, target: 10, change: b => b["title"] = "Ship ten fixes");

        var matrix = await GetAsync<GetOkrKpiMatrix.Response>($"/api/v1/cycles/{cycle.Id}/matrix");

        var row = matrix.Objectives.Single();
        Assert.That(row.Progress, Is.EqualTo(0.25m));
        var kr = row.KeyResults[0];
        Assert.That((kr.Id, kr.CurrentValue, kr.Progress, kr.Health), Is.EqualTo((linked.Id, (decimal?)38m, 0.5m, OkrHealth.OnTrack)));
        Assert.That((kr.Kpi!.Key, kr.Kpi.Latest!.Period, kr.Kpi.Latest.Value!.ToString(), kr.Kpi.DisplayStatus), Is.EqualTo(("nps", "2026-07", "38", "atRisk")));
        Assert.That(kr.Kpi.Target.Value, Is.EqualTo(45m));
        Assert.That(row.KeyResults[1].Kpi, Is.Null);
        Assert.That(row.Kpis.Select(k => (k.Key, k.DisplayStatus)), Is.EqualTo(new[] { ("defect-rate", "onTarget") }));
    }

    [TestCase("?format=csv", null)]
    [TestCase("", "text/csv")]
    public async Task The_matrix_downloads_as_csv_one_row_per_objective_key_result_and_kpi(string query, string? accept)
    {
        var cycle = await GivenCycleAsync();
        var defects = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(defects.Id, 2.5m);
        var objective = await GivenObjectiveAsync(cycle.Id, title: "=Reduce defects", change: b => b["kpiIds"] = new JsonArray(defects.Id.ToString()));
        var linked = await GivenKeyResultAsync(objective.Id, start: 5, target: 2, change: b => b["kpiKey"] = "defect-rate");
        var manual = await GivenKeyResultAsync(objective.Id, start: 0, target: 10);
        var empty = await GivenObjectiveAsync(cycle.Id, title: "Plan the offsite");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cycles/{cycle.Id}/matrix{query}");
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        var response = await Api.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName, Does.Contain("okr-kpi-matrix-2026-Q3.csv"));
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.That(lines[0], Is.EqualTo(string.Join(',', GetOkrKpiMatrix.CsvColumns)));
        string[] objectiveColumns = ["2026-Q3", objective.Id.ToString(), "'=Reduce defects", "0.4167", "onTrack"];
        string[] noKeyResult = ["", "", "", "", "", "", "", ""];
        string[] defectRate = ["defect-rate", "Defect rate", "%", "2026-07-14", "2.5", "atMost", "2", "", "", "3", "atRisk"];
        string[] noKpi = ["", "", "", "", "", "", "", "", "", "", ""];
        Assert.That(lines[1..], Is.EqualTo(new[]
        {
            Csv([.. objectiveColumns, linked.Id.ToString(), "Raise NPS from 31 to 45", "", "5", "2", "2.5", "0.8333", "onTrack", "keyResult", .. defectRate]),
            Csv([.. objectiveColumns, manual.Id.ToString(), "Raise NPS from 31 to 45", "", "0", "10", "0", "0", "atRisk", "", .. noKpi]),
            Csv([.. objectiveColumns, .. noKeyResult, "objective", .. defectRate]),
            Csv(["2026-Q3", empty.Id.ToString(), "Plan the offsite", "", "", .. noKeyResult, "", .. noKpi]),
        }));
    }

    [Test]
    public async Task The_evaluation_is_provisional_progress_while_the_cycle_runs_and_final_scores_after_close()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id, start: 0, target: 100);
        await CheckInAsync(keyResult.Id, 40);

        var running = await GetAsync<GetCycleEvaluation.Response>($"/api/v1/cycles/{cycle.Id}/evaluation");

        Assert.That((running.Final, running.AverageScore), Is.EqualTo((false, (decimal?)0.4m)));
        var provisional = running.Objectives.Single();
        Assert.That((provisional.Score, provisional.Provisional), Is.EqualTo(((decimal?)0.4m, true)));
        Assert.That((provisional.KeyResults.Single().Value, provisional.KeyResults.Single().Final), Is.EqualTo(((decimal?)40m, false)));

        await CheckInAsync(keyResult.Id, 70);
        var closed = await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/close", null);
        Assert.That(closed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var final = await GetAsync<GetCycleEvaluation.Response>($"/api/v1/cycles/{cycle.Id}/evaluation");

        Assert.That((final.Final, final.AverageScore), Is.EqualTo((true, (decimal?)0.7m)));
        var scored = final.Objectives.Single();
        Assert.That((scored.Score, scored.Provisional, scored.Progress), Is.EqualTo(((decimal?)0.7m, false, (decimal?)0.7m)));
        Assert.That((scored.KeyResults.Single().Value, scored.KeyResults.Single().Final, scored.KeyResults.Single().Progress),
            Is.EqualTo(((decimal?)70m, true, 0.7m)));
    }

    [Test]
    public async Task The_health_check_warns_about_key_result_counts_kpis_targets_and_owners_with_stable_rule_ids()
    {
        var cycle = await GivenCycleAsync();
        var team = await GivenTeamAsync("Customer Success");
        var nps = await GivenKpiAsync("nps", change: b => b["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 45, ["warning"] = 30 });
        var kpis = new JsonArray(nps.Id.ToString(), (await GivenKpiAsync("kpi-b")).Id.ToString(), (await GivenKpiAsync("kpi-c")).Id.ToString(),
            (await GivenKpiAsync("kpi-d")).Id.ToString());
        var thin = await GivenObjectiveAsync(cycle.Id, team.Id, title: "Thin", change: b => b["kpiIds"] = kpis);
        var restating = await GivenKeyResultAsync(thin.Id, start: 31, target: 45, change: b => b["kpiKey"] = "nps");
        var crowded = await GivenObjectiveAsync(cycle.Id, team.Id, title: "Crowded");
        var flat = await GivenKeyResultAsync(crowded.Id, start: 50, target: 50);
        for (var i = 0; i < 5; i++) await GivenKeyResultAsync(crowded.Id);
        for (var i = 0; i < 4; i++) await GivenObjectiveAsync(cycle.Id, team.Id, title: $"More {i}");

        var check = await GetAsync<GetOkrHealthCheck.Response>($"/api/v1/cycles/{cycle.Id}/health-check");

        var found = check.Warnings.Select(w => (w.Rule, w.Entity.Type, w.Entity.Id)).ToList();
        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.ObjectiveTooFewKeyResults, "objective", thin.Id)));
        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.ObjectiveTooManyKpis, "objective", thin.Id)));
        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.KeyResultRestatesKpiTarget, "keyResult", restating.Id)));
        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.ObjectiveTooManyKeyResults, "objective", crowded.Id)));
        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.KeyResultNoMeasurableTarget, "keyResult", flat.Id)));
        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.OwnerTooManyObjectives, "team", team.Id)));
        Assert.That(found, Does.Not.Contain((GetOkrHealthCheck.Rules.ObjectiveTooFewKeyResults, "objective", crowded.Id)));
        Assert.That(found.Where(f => f.Rule == GetOkrHealthCheck.Rules.KeyResultStale), Is.Empty, "every key result was created today");
        var owner = check.Warnings.Single(w => w.Rule == GetOkrHealthCheck.Rules.OwnerTooManyObjectives);
        Assert.That((owner.Entity.Title, owner.Message), Is.EqualTo(("Customer Success",
            "Team 'Customer Success' owns 6 objectives in 2026-Q3; more than 5 spread the effort too thin.")));
        Assert.That(check.Thresholds, Is.EqualTo(new GetOkrHealthCheck.Thresholds(5, 2, 5, 3, 4, 14, 2, 10m, 92)));
    }

    [Test]
    public async Task The_health_check_flags_stale_key_results_and_alignment_chains_deeper_than_configured()
    {
        var year = await GivenCycleAsync("2026", "2026-01-01", "2026-12-31");
        var cycle = await GivenCycleAsync();
        var parent = (await GivenObjectiveAsync(year.Id, title: "Level 1")).Id;
        parent = (await GivenObjectiveAsync(year.Id, title: "Level 2", parentObjectiveId: parent)).Id;
        var levels = new List<Guid>();
        for (var level = 3; level <= 5; level++)
        {
            parent = (await GivenObjectiveAsync(cycle.Id, title: $"Level {level}", parentObjectiveId: parent)).Id;
            levels.Add(parent);
        }
        var keyResult = await GivenKeyResultAsync(levels[0]);
        await CheckInAsync(keyResult.Id, 35);
        ApiFixture.Clock.AdjustTime(Now.AddDays(15));

        var check = await GetAsync<GetOkrHealthCheck.Response>($"/api/v1/cycles/{cycle.Id}/health-check");

        var deep = check.Warnings.Where(w => w.Rule == GetOkrHealthCheck.Rules.ObjectiveAlignmentTooDeep).ToList();
        Assert.That(deep.Select(w => w.Entity.Id), Is.EqualTo(new[] { levels[2] }));
        Assert.That(deep[0].Message, Does.Contain("5 levels deep"));
        var stale = check.Warnings.Single(w => w.Rule == GetOkrHealthCheck.Rules.KeyResultStale);
        Assert.That((stale.Entity.Type, stale.Entity.Id), Is.EqualTo(("keyResult", keyResult.Id)));
        Assert.That(stale.Message, Does.Contain("2026-07-15").And.Contain("14 days"));
    }

    [Test]
    public async Task Every_whole_cycle_read_is_a_404_problem_for_an_unknown_cycle()
    {
        foreach (var read in Reads)
        {
            var response = await Api.GetAsync($"/api/v1/cycles/{Guid.NewGuid()}/{read}");

            var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("was not found"), read);
        }
    }

    [Test]
    public async Task Every_whole_cycle_read_answers_an_empty_cycle_and_refuses_an_unknown_format()
    {
        var cycle = await GivenCycleAsync(activate: false);

        foreach (var read in Reads)
        {
            var response = await Api.GetAsync($"/api/v1/cycles/{cycle.Id}/{read}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), read);
        }
        await FieldErrorsAsync(await Api.GetAsync($"/api/v1/cycles/{cycle.Id}/matrix?format=xlsx"), "format");
    }

    [Test]
    public async Task Viewers_read_the_whole_cycle_views_and_kpi_only_tokens_cannot()
    {
        var cycle = await GivenCycleAsync();
        var viewer = await Callers.GivenPersonClientAsync(Role.Viewer);
        var kpiOnly = await Callers.GivenTokenClientAsync(Callers.AdminId, [Scopes.KpisRead]);

        foreach (var read in Reads)
        {
            Assert.That((await viewer.GetAsync($"/api/v1/cycles/{cycle.Id}/{read}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), read);
            Assert.That((await kpiOnly.GetAsync($"/api/v1/cycles/{cycle.Id}/{read}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), read);
            Assert.That((await Callers.Client().GetAsync($"/api/v1/cycles/{cycle.Id}/{read}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), read);
        }
    }

    private static string Csv(string[] fields)
    {
        Assert.That(fields, Has.Length.EqualTo(GetOkrKpiMatrix.CsvColumns.Length));
        return string.Join(',', fields);
    }

    private static async Task<T> GetAsync<T>(string url)
    {
        var response = await Api.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<T>(response);
    }
}
