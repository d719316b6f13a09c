using System.Data.Common;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>
/// A batch is checked before the writer's turn and stored in it. Whatever happened to its KPIs in between (here, a
/// retirement through the API) is caught in the turn, where the items are checked again.
/// </summary>
public sealed class BatchCheckedBeforeItsTurnTests : IntegrationTest
{
    private static readonly DateTimeOffset Now = ApiFixture.Clock.GetUtcNow();

    [Test]
    public async Task Stores_the_rows_as_checked_when_the_kpi_did_not_change_in_between()
    {
        await GivenKpiAsync("defect-rate");
        var items = Items("defect-rate", "2026-07-13", "2026-07-14");
        var checkedBefore = await CheckAsync(items);

        var applied = await ApplyAsync(items, checkedBefore);

        Assert.That(applied.Select(a => a.Outcome.Result), Is.All.EqualTo(ItemResult.Created));
        await using var connection = await ApiFixture.Database.OpenAsync();
        var stored = (await connection.QueryAsync<string>("SELECT Id FROM KpiMeasurement ORDER BY PeriodStart")).ToList();
        Assert.That(stored, Is.EqualTo(checkedBefore.Accepted.Select(a => a.IdText)), "the rows were written as rendered before the turn");
    }

    [Test]
    public async Task Refuses_every_item_when_the_kpi_was_retired_between_the_check_and_the_turn()
    {
        await GivenKpiAsync("defect-rate");
        var items = Items("defect-rate", "2026-07-13", "2026-07-14");
        var checkedBefore = await CheckAsync(items);
        Assert.That(checkedBefore.Accepted, Has.Count.EqualTo(2));

        Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/kpis/defect-rate/retire")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var applied = await ApplyAsync(items, checkedBefore);

        Assert.That(applied.Select(a => a.Refusal), Is.All.EqualTo(Refusal.Retired));
        await using var connection = await ApiFixture.Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM KpiMeasurement"), Is.Zero);
    }

    [Test]
    public async Task Checks_against_the_new_frequency_when_the_kpi_changed_between_the_check_and_the_turn()
    {
        await GivenKpiAsync("defect-rate");
        var items = Items("defect-rate", "2026-07-14");
        var checkedBefore = await CheckAsync(items);

        var kpi = await SendAsync(HttpMethod.Get, "/api/v1/kpis/defect-rate");
        var body = KpiBody("defect-rate");
        body["frequency"] = "monthly";
        Assert.That((await PutJsonAsync("/api/v1/kpis/defect-rate", body, kpi.Headers.ETag!.Tag)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var applied = await ApplyAsync(items, checkedBefore);

        Assert.That(applied.Single().Outcome.Period, Is.EqualTo("2026-07"), "the period as the monthly KPI reads it, not as checked for a daily one");
    }

    private static List<PendingMeasurement> Items(string kpi, params string[] periods) =>
        periods.Select((period, index) => new PendingMeasurement(index, kpi, period, JsonDocument.Parse("1.5").RootElement, null, null, null)).ToList();

    private static DbDataSource Db => ApiFixture.Factory.Services.GetRequiredService<DbDataSource>();

    private static KpiAccess Access => new(Caller.System, Scopes.MeasurementsWrite);

    private static async Task<MeasurementWrites.CheckedItems> CheckAsync(List<PendingMeasurement> items)
    {
        await using var connection = await Db.OpenConnectionAsync();
        return await MeasurementWrites.CheckAsync(connection, null, TimeZoneInfo.Utc, Now, items, Access, CancellationToken.None);
    }

    private static async Task<IReadOnlyList<AppliedMeasurement>> ApplyAsync(List<PendingMeasurement> items, MeasurementWrites.CheckedItems checkedBefore)
    {
        await using var connection = await Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var applied = await MeasurementWrites.ApplyAsync(connection, transaction, ApiFixture.Factory.Services.GetRequiredService<Dialect>(), TimeZoneInfo.Utc, Now,
            items, checkedBefore, BatchMode.Atomic, Access, "system", CancellationToken.None);
        await transaction.CommitAsync();
        return applied;
    }
}
