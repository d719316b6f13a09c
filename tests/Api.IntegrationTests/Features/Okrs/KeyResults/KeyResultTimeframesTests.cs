using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>"… by the end of August" inside a quarter: a key result's own timeframe, and strict targets of key results.</summary>
public sealed class KeyResultTimeframesTests : OkrTest
{
    [Test]
    public async Task A_key_result_due_two_months_into_the_quarter_expects_everything_at_its_due_date_and_leaves_the_others_alone()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        var due = await GivenKeyResultAsync(objective.Id, 0, 100, b => b["dueDate"] = "2026-08-31");
        var quarter = await GivenKeyResultAsync(objective.Id, 0, 100);

        ApiFixture.Clock.AdjustTime(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero));
        var atDue = await ObjectiveAsync(objective.Id);

        Assert.That((due.DueDate, due.StartDate), Is.EqualTo(((DateOnly?)new DateOnly(2026, 8, 31), (DateOnly?)null)));
        // 2026-07-15 09:30 is 345.5 of the 1,488 hours of July and August.
        Assert.That(due.ExpectedProgress, Is.EqualTo(0.2322m));
        Assert.That(quarter.ExpectedProgress, Is.EqualTo(Q3Expected));
        Assert.That(atDue.KeyResults[0].ExpectedProgress, Is.EqualTo(1m));
        Assert.That(atDue.KeyResults[0].Health, Is.EqualTo(OkrHealth.OffTrack));
        Assert.That(atDue.KeyResults[1].ExpectedProgress, Is.EqualTo(0.6739m));
    }

    [Test]
    public async Task A_key_result_starting_later_is_not_started_and_not_off_track_when_created_late_in_the_cycle()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);

        var later = await GivenKeyResultAsync(objective.Id, 0, 100, b => { b["startDate"] = "2026-08-01"; b["dueDate"] = "2026-09-30"; });

        Assert.That((later.ExpectedProgress, later.Health, later.Stale), Is.EqualTo((0m, OkrHealth.NotStarted, false)));
    }

    [Test]
    public async Task A_timeframe_beyond_the_cycle_needs_a_reason()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);

        var beyond = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results", KeyResultBody().Also(b => b["dueDate"] = "2026-10-31"));
        var reversed = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results",
            KeyResultBody().Also(b => { b["startDate"] = "2026-09-01"; b["dueDate"] = "2026-08-01"; }));
        var explained = await GivenKeyResultAsync(objective.Id, change: b => { b["dueDate"] = "2026-10-31"; b["timeframeReason"] = "the launch slipped into October"; });

        await FieldErrorsAsync(beyond, "dueDate");
        await FieldErrorsAsync(reversed, "dueDate");
        Assert.That((explained.DueDate, explained.TimeframeReason), Is.EqualTo(((DateOnly?)new DateOnly(2026, 10, 31), "the launch slipped into October")));
    }

    [Test]
    public async Task A_key_result_less_than_2_is_done_only_below_2()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        var keyResult = await GivenKeyResultAsync(objective.Id, 5, 2, b => b["comparator"] = "lessThan");

        await CheckInAsync(keyResult.Id, 2);
        var atTwo = await KeyResultAsync(keyResult.Id);
        await CheckInAsync(keyResult.Id, 1.9m);
        var below = await KeyResultAsync(keyResult.Id);
        var contradicting = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results", KeyResultBody(start: 5, target: 2).Also(b => b["comparator"] = "greaterThan"));
        var between = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results", KeyResultBody().Also(b => b["comparator"] = "between"));

        Assert.That((keyResult.Comparator, atTwo.Progress, below.Progress), Is.EqualTo((TargetComparator.LessThan, 0.9999m, 1m)));
        await FieldErrorsAsync(contradicting, "comparator");
        await FieldErrorsAsync(between, "comparator");
    }
}
