using System.Globalization;
using OkrKpi.Api.Infrastructure.Import;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using static OkrKpi.Api.IntegrationTests.Features.Measurements.MeasurementImports;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

public sealed class ImportMeasurementsTests : IntegrationTest
{
    [TestCase("\n")]
    [TestCase("\r\n")]
    public async Task Imports_a_csv_file_whatever_its_line_endings(string newline)
    {
        await GivenKpiAsync("defect-rate");
        await GivenDowntimeAsync();
        var csv = string.Join(newline, "kpi,period,value", "defect-rate,2026-07-14,1.5", "downtime,2026-07-14,45", "defect-rate,2026-07-13,-0.25") + newline;

        var response = await ImportAsync(Api, Csv(csv));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Committed, import.DryRun, import.Mode), Is.EqualTo((true, false, BatchMode.Atomic)));
        Assert.That((import.Rows, import.Created, import.Updated, import.Unchanged, import.Rejected, import.ErrorCount), Is.EqualTo((3, 3, 0, 0, 0, 0)));
        Assert.That(import.Errors, Is.Empty);
        var defects = await SeriesAsync("defect-rate", "2026-07-13", "2026-07-14");
        Assert.That(defects.Items.Select(m => (m.Period, m.Value.ToString(), m.Source)), Is.EqualTo(new[]
        {
            ("2026-07-13", "-0.25", MeasurementSource.Import), ("2026-07-14", "1.5", MeasurementSource.Import),
        }));
        Assert.That((await SeriesAsync("downtime", "2026-07-14", "2026-07-14")).Items.Single().Value.ToString(), Is.EqualTo("45"));
    }

    [Test]
    public async Task Imports_a_last_line_without_a_line_break()
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Csv("kpi,period,value\r\ndefect-rate,2026-07-13,1\r\ndefect-rate,2026-07-14,2"));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created), Is.EqualTo((2, 2)));
    }

    [Test]
    public async Task Ignores_a_utf8_byte_order_mark_before_the_header()
    {
        await GivenKpiAsync("defect-rate");
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("kpi,period,value\r\ndefect-rate,2026-07-14,1.5\r\n")).ToArray();

        var response = await ImportAsync(Api, Body(bytes, "text/csv"));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created), Is.EqualTo((1, 1)));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items.Single().Value.ToString(), Is.EqualTo("1.5"));
    }

    [Test]
    public async Task Reads_quoted_fields_with_commas_doubled_quotes_and_line_breaks()
    {
        await GivenKpiAsync("defect-rate");
        var csv = """"
            kpi,period,value,note,externalId
            defect-rate,2026-07-12,1,"Line 2, stopped at 10:00","mes,4711"
            defect-rate,2026-07-13,2,"The inspector said ""fine""",
            "defect-rate","2026-07-14","3","first line
            second line",mes-4713

            """".ReplaceLineEndings("\n");

        var response = await ImportAsync(Api, Csv(csv));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created), Is.EqualTo((3, 3)));
        var stored = await SeriesAsync("defect-rate", "2026-07-12", "2026-07-14");
        Assert.That(stored.Items.Select(m => m.Value.ToString()), Is.EqualTo(new[] { "1", "2", "3" }));
        var notes = new List<(string?, string?)>();
        foreach (var period in new[] { "2026-07-12", "2026-07-13", "2026-07-14" })
        {
            var current = (await RevisionsAsync("defect-rate", period)).Revisions.Single();
            notes.Add((current.Note, current.ExternalId));
        }
        Assert.That(notes, Is.EqualTo(new (string?, string?)[]
        {
            ("Line 2, stopped at 10:00", "mes,4711"), ("The inspector said \"fine\"", null), ("first line\nsecond line", "mes-4713"),
        }));
    }

    [Test]
    public async Task Names_the_line_of_a_bad_row_counting_the_line_breaks_inside_quotes()
    {
        await GivenKpiAsync("defect-rate");
        var csv = "kpi,period,value,note\n" +
                  "defect-rate,2026-07-12,1,\"one\ntwo\nthree\"\n" +
                  "defect-rate,2026-07-13,oops,\n";

        var response = await ImportAsync(Api, Csv(csv));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (5L, "value") }));
    }

    [Test]
    public async Task Matches_columns_by_header_name_in_any_order_and_case()
    {
        await GivenKpiAsync("defect-rate");
        var csv = "VALUE,Note,KPI,EXTERNALID,Period\n1.5,night shift,defect-rate,mes-1,2026-07-14\n";

        var response = await ImportAsync(Api, Csv(csv));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That(import.Created, Is.EqualTo(1));
        var current = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions.Single();
        Assert.That((current.Value.ToString(), current.Note, current.ExternalId), Is.EqualTo(("1.5", "night shift", "mes-1")));
    }

    [Test]
    public async Task Counts_created_updated_and_unchanged_rows()
    {
        var defects = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(defects.Id, 1.5m, "2026-07-12");
        await GivenMeasurementAsync(defects.Id, 2.5m, "2026-07-13");
        var csv = "kpi,period,value\ndefect-rate,2026-07-12,1.50\ndefect-rate,2026-07-13,3\ndefect-rate,2026-07-14,4\ndefect-rate,2026-07-15,5\n";

        var response = await ImportAsync(Api, Csv(csv));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created, import.Updated, import.Unchanged, import.Rejected), Is.EqualTo((4, 2, 1, 1, 0)));
        var stored = await SeriesAsync("defect-rate", "2026-07-12", "2026-07-15");
        Assert.That(stored.Items.Select(m => (m.Period, m.Value.ToString())), Is.EqualTo(new[]
        {
            ("2026-07-12", "1.5"), ("2026-07-13", "3"), ("2026-07-14", "4"), ("2026-07-15", "5"),
        }));
    }

    [Test]
    public async Task Reimporting_the_same_file_reports_every_row_unchanged_and_writes_nothing()
    {
        await GivenKpiAsync("defect-rate");
        await GivenDowntimeAsync();
        var csv = "kpi,period,value,note,externalId\ndefect-rate,2026-07-13,1.5,checked,mes-1\ndefect-rate,2026-07-14,2,,\ndowntime,2026-07-14,0,,ado-7\n";
        await ImportedAsync(await ImportAsync(Api, Csv(csv)), HttpStatusCode.OK);
        var before = await StoredRowsAsync();

        var response = await ImportAsync(Api, Csv(csv));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Committed, import.Rows, import.Created, import.Updated, import.Unchanged), Is.EqualTo((true, 3, 0, 0, 3)));
        Assert.That(await StoredRowsAsync(), Is.EqualTo(before));
        Assert.That(before, Is.EqualTo((3L, 0L)));
    }

    [Test]
    public async Task Updates_a_changed_value_and_keeps_the_old_one_in_the_revisions()
    {
        await GivenKpiAsync("defect-rate");
        await ImportedAsync(await ImportAsync(Api, Csv("kpi,period,value,note\ndefect-rate,2026-07-14,1.5,first count\n")), HttpStatusCode.OK);
        ApiFixture.Clock.Advance(TimeSpan.FromSeconds(1));

        var response = await ImportAsync(Api, Csv("kpi,period,value,note\ndefect-rate,2026-07-14,1.75,recount\n"));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Created, import.Updated, import.Unchanged), Is.EqualTo((0, 1, 0)));
        var revisions = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => (r.State, r.Value.ToString(), r.Note, r.Source)), Is.EqualTo(new[]
        {
            (ListMeasurementRevisions.RevisionState.Current, "1.75", (string?)"recount", MeasurementSource.Import),
            (ListMeasurementRevisions.RevisionState.Replaced, "1.5", "first count", MeasurementSource.Import),
        }));
    }

    [Test]
    public async Task Updates_a_value_when_only_its_note_or_external_id_changes()
    {
        await GivenKpiAsync("defect-rate");
        await ImportedAsync(await ImportAsync(Api, Csv("kpi,period,value,note,externalId\ndefect-rate,2026-07-13,1,a,x\ndefect-rate,2026-07-14,1,a,x\n")), HttpStatusCode.OK);

        var response = await ImportAsync(Api, Csv("kpi,period,value,note,externalId\ndefect-rate,2026-07-13,1,b,x\ndefect-rate,2026-07-14,1,a,\n"));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Updated, import.Unchanged), Is.EqualTo((2, 0)));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((2L, 2L)));
    }

    [Test]
    public async Task An_atomic_import_with_one_bad_row_answers_422_names_its_line_and_column_and_stores_nothing()
    {
        var defects = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(defects.Id, 1.5m, "2026-07-12");
        var csv = "kpi,period,value\ndefect-rate,2026-07-12,9\ndefect-rate,2026-07-13,2\ndefect-rate,2026-07-14,two\ndefect-rate,2026-07-15,3\n";

        var response = await ImportAsync(Api, Csv(csv));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That((import.Committed, import.Mode, import.Rows, import.Rejected, import.ErrorCount), Is.EqualTo((false, BatchMode.Atomic, 4, 1, 1)));
        var error = import.Errors.Single();
        Assert.That((error.Line, error.Column), Is.EqualTo((4L, "value")));
        Assert.That(error.Reason, Does.Contain("number"));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((1L, 0L)));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-12", "2026-07-12")).Items.Single().Value.ToString(), Is.EqualTo("1.5"));
    }

    [Test]
    public async Task A_bad_last_row_after_999_good_ones_is_named_by_its_line_and_nothing_is_stored()
    {
        await GivenKpiAsync("defect-rate");
        var csv = new StringBuilder("kpi,period,value\n");
        foreach (var back in Enumerable.Range(1, 999)) csv.Append($"defect-rate,{Day(back)},{back % 7}\n");
        csv.Append("defect-rate,2026-07-15,n/a\n");

        var response = await ImportAsync(Api, Csv(csv.ToString()));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That((import.Committed, import.Rows, import.ErrorCount), Is.EqualTo((false, 1000, 1)));
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (1001L, "value") }));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Reports_the_first_100_errors_by_line_and_counts_them_all()
    {
        await GivenKpiAsync("defect-rate");
        var csv = new StringBuilder("kpi,period,value\n");
        foreach (var back in Enumerable.Range(1, 200)) csv.Append($"defect-rate,{Day(back)},{(back % 4 == 0 ? "1" : "x")}\n");

        var response = await ImportAsync(Api, Csv(csv.ToString()), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created, import.Rejected, import.ErrorCount), Is.EqualTo((200, 50, 150, 150)));
        Assert.That(import.Errors, Has.Count.EqualTo(ImportMeasurements.MaxReportedErrors));
        var expectedLines = Enumerable.Range(1, 200).Where(back => back % 4 != 0).Select(back => (long)back + 1).Take(100);
        Assert.That(import.Errors.Select(e => e.Line), Is.EqualTo(expectedLines));
        Assert.That(import.Errors.Select(e => e.Column).Distinct(), Is.EqualTo(new[] { "value" }));
    }

    [Test]
    public async Task Reports_an_early_repeated_period_among_the_first_100_errors_even_when_many_bad_rows_follow()
    {
        await GivenKpiAsync("defect-rate");
        var csv = new StringBuilder("kpi,period,value\ndefect-rate,2026-07-14,1\ndefect-rate,2026-07-14,2\n");
        foreach (var back in Enumerable.Range(2, 150)) csv.Append($"defect-rate,{Day(back)},bad\n");

        var response = await ImportAsync(Api, Csv(csv.ToString()), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created, import.ErrorCount), Is.EqualTo((152, 1, 151)));
        Assert.That(import.Errors, Has.Count.EqualTo(100));
        Assert.That(import.Errors[0], Is.EqualTo(new ImportMeasurements.ImportError(3, "period", "The same KPI and period appear on an earlier line of this import.")));
        Assert.That(import.Errors.Select(e => e.Line), Is.EqualTo(Enumerable.Range(3, 100).Select(l => (long)l)));
    }

    [Test]
    public async Task An_atomic_import_with_150_bad_rows_reports_100_of_them_and_all_in_the_count()
    {
        await GivenKpiAsync("defect-rate");
        var csv = new StringBuilder("kpi,period,value\n");
        foreach (var back in Enumerable.Range(1, 150)) csv.Append($"defect-rate,{Day(back)},bad\n");

        var response = await ImportAsync(Api, Csv(csv.ToString()));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That((import.Committed, import.Rows, import.Rejected, import.ErrorCount, import.Errors.Count), Is.EqualTo((false, 150, 150, 150, 100)));
        Assert.That(import.Errors.Select(e => e.Line), Is.EqualTo(Enumerable.Range(2, 100).Select(l => (long)l)));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task A_partial_import_stores_the_good_rows_and_reports_the_bad()
    {
        await GivenKpiAsync("defect-rate");
        await GivenDowntimeAsync();
        var csv = "kpi,period,value\ndefect-rate,2026-07-13,1\nno-such-kpi,2026-07-13,1\ndowntime,2026-07-14,30\ndowntime,2026-07-16,30\n";

        var response = await ImportAsync(Api, Csv(csv), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Committed, import.Mode, import.Rows, import.Created, import.Rejected, import.ErrorCount), Is.EqualTo((true, BatchMode.Partial, 4, 2, 2, 2)));
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3L, "kpi"), (5L, "period") }));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-13", "2026-07-13")).Items, Has.Count.EqualTo(1));
        Assert.That((await SeriesAsync("downtime", "2026-07-14", "2026-07-14")).Items, Has.Count.EqualTo(1));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((2L, 0L)));
    }

    [Test]
    public async Task A_dry_run_of_a_clean_file_answers_200_with_the_counts_and_stores_nothing()
    {
        var defects = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(defects.Id, 1.5m, "2026-07-12");
        await GivenMeasurementAsync(defects.Id, 2m, "2026-07-13");
        var csv = "kpi,period,value\ndefect-rate,2026-07-12,1.5\ndefect-rate,2026-07-13,3\ndefect-rate,2026-07-14,4\n";

        var response = await ImportAsync(Api, Csv(csv), "?dryRun=true");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Committed, import.DryRun, import.ErrorCount), Is.EqualTo((false, true, 0)));
        Assert.That((import.Rows, import.Created, import.Updated, import.Unchanged), Is.EqualTo((3, 1, 1, 1)));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((2L, 0L)));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-13", "2026-07-13")).Items.Single().Value.ToString(), Is.EqualTo("2"));
    }

    [TestCase("")]
    [TestCase("&mode=partial")]
    public async Task A_dry_run_of_a_file_with_errors_answers_422_with_the_errors_and_stores_nothing(string mode)
    {
        await GivenKpiAsync("defect-rate");
        var csv = "kpi,period,value\ndefect-rate,2026-07-13,1\ndefect-rate,2026-07,1\ndefect-rate,2026-07-14,1\n";

        var response = await ImportAsync(Api, Csv(csv), "?dryRun=true" + mode);

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That((import.Committed, import.DryRun, import.Rows, import.Rejected), Is.EqualTo((false, true, 3, 1)));
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3L, "period") }));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Rejects_a_later_line_for_a_kpi_and_period_already_in_the_file()
    {
        var defects = await GivenKpiAsync("defect-rate");
        var csv = $"kpi,period,value\ndefect-rate,2026-07-14,1\ndefect-rate,2026-07-13,2\n{defects.Id},2026-07-14T08:00:00Z,3\n";

        var response = await ImportAsync(Api, Csv(csv), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created, import.Rejected), Is.EqualTo((3, 2, 1)));
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (4L, "period") }));
        Assert.That(import.Errors.Single().Reason, Does.Contain("earlier line"));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items.Single().Value.ToString(), Is.EqualTo("1"));
    }

    [Test]
    public async Task Rejects_a_later_line_for_a_period_that_already_had_a_value_before_the_import()
    {
        var defects = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(defects.Id, 5m, "2026-07-14");
        await GivenMeasurementAsync(defects.Id, 6m, "2026-07-13");
        var csv = "kpi,period,value\ndefect-rate,2026-07-14,1\ndefect-rate,2026-07-13,6\ndefect-rate,2026-07-14,2\ndefect-rate,2026-07-13,7\n";

        var response = await ImportAsync(Api, Csv(csv), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Updated, import.Unchanged, import.Rejected), Is.EqualTo((4, 1, 1, 2)));
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (4L, "period"), (5L, "period") }));
        var revisions = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => r.Value.ToString()), Is.EqualTo(new[] { "1", "5" }));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-13", "2026-07-13")).Items.Single().Value.ToString(), Is.EqualTo("6"));
    }

    [Test]
    public async Task An_atomic_import_with_a_repeated_kpi_and_period_stores_nothing()
    {
        await GivenKpiAsync("defect-rate");
        var csv = "kpi,period,value\ndefect-rate,2026-07-14,1\nDEFECT-RATE,2026-07-14,2\n";

        var response = await ImportAsync(Api, Csv(csv));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3L, "period") }));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [TestCase("no-such-kpi,2026-07-14,1", "kpi", "not found")]
    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e,2026-07-14,1", "kpi", "not found")]
    [TestCase(",2026-07-14,1", "kpi", "required")]
    [TestCase("defect-rate,,1", "period", "required")]
    [TestCase("defect-rate,2026-07-16,1", "period", "not started")]
    [TestCase("defect-rate,2026-07,1", "period", "")]
    [TestCase("defect-rate,2026-W29,1", "period", "")]
    [TestCase("defect-rate,2026-02-30,1", "period", "")]
    [TestCase("defect-rate,14/07/2026,1", "period", "")]
    [TestCase("defect-rate,2026-07-14,", "value", "required")]
    [TestCase("defect-rate,2026-07-14,\"1,234.5\"", "value", "thousands")]
    [TestCase("defect-rate,2026-07-14,\"1,5\"", "value", "decimal point")]
    [TestCase("defect-rate,2026-07-14,1 234", "value", "")]
    [TestCase("defect-rate,2026-07-14,NaN", "value", "")]
    [TestCase("defect-rate,2026-07-14,0x10", "value", "")]
    [TestCase("defect-rate,2026-07-14,true", "value", "boolean")]
    [TestCase("defect-rate,2026-07-14,1e30", "value", "")]
    public async Task Rejects_a_row_naming_the_column_at_fault(string row, string column, string reason)
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Csv($"kpi,period,value\ndefect-rate,2026-07-13,1\n{row}\n"));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        var error = import.Errors.Single();
        Assert.That((error.Line, error.Column), Is.EqualTo((3L, column)), error.Reason);
        Assert.That(error.Reason, Does.Contain(reason));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Rejects_a_period_coarser_than_a_weekly_kpi_takes_and_accepts_its_iso_week()
    {
        await GivenKpiAsync("deployment-frequency", change: body =>
        {
            body["valueType"] = "number";
            body["frequency"] = "weekly";
            body["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 5 };
        });

        var response = await ImportAsync(Api, Csv("kpi,period,value\ndeployment-frequency,2026-W28,12\ndeployment-frequency,2026-07,3\n"), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3L, "period") }));
        Assert.That((await SeriesAsync("deployment-frequency", "2026-07-06", "2026-07-06")).Items.Select(m => m.Period), Is.EqualTo(new[] { "2026-W28" }));
    }

    [Test]
    public async Task Rejects_the_rows_of_a_retired_kpi_naming_the_kpi_column()
    {
        await GivenKpiAsync("defect-rate");
        await GivenDowntimeAsync();
        Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/kpis/downtime/retire")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await ImportAsync(Api, Csv("kpi,period,value\ndefect-rate,2026-07-14,1\ndowntime,2026-07-14,30\n"), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3L, "kpi") }));
        Assert.That(import.Errors.Single().Reason, Does.Contain("retired"));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public async Task Takes_true_and_false_in_any_case_on_a_boolean_kpi()
    {
        await GivenBooleanKpiAsync("audit-passed");

        var response = await ImportAsync(Api, Csv("kpi,period,value\naudit-passed,2026-07-13,true\naudit-passed,2026-07-14,FALSE\n"));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That(import.Created, Is.EqualTo(2));
        var series = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/audit-passed/measurements?from=2026-07-13&to=2026-07-14"))!;
        Assert.That(series["items"]!.AsArray().Select(i => i!["value"]!.ToJsonString()), Is.EqualTo(new[] { "true", "false" }));
    }

    [TestCase("1")]
    [TestCase("0")]
    [TestCase("yes")]
    public async Task Refuses_anything_but_true_or_false_on_a_boolean_kpi(string value)
    {
        await GivenBooleanKpiAsync("audit-passed");

        var response = await ImportAsync(Api, Csv($"kpi,period,value\naudit-passed,2026-07-14,{value}\n"));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (2L, "value") }));
        Assert.That(import.Errors.Single().Reason, Does.Contain("true or false"));
    }

    [TestCase("kpi,period,value\ndefect-rate,2026-07-13,1\ndefect-rate,2026-07-14,1,234.5\n", "4 field(s) but the header has 3")]
    [TestCase("kpi,period,value,note\ndefect-rate,2026-07-13,1,\ndefect-rate,2026-07-14,1,a,extra\n", "5 field(s) but the header has 4")]
    [TestCase("kpi,period,value,note\ndefect-rate,2026-07-13,1,\ndefect-rate,2026-07-14,1\n", "3 field(s) but the header has 4")]
    public async Task Rejects_a_row_with_more_or_fewer_fields_than_the_header(string csv, string reason)
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Csv(csv), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created, import.Rejected), Is.EqualTo((2, 1, 1)));
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3L, "line") }));
        Assert.That(import.Errors.Single().Reason, Does.Contain(reason));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-13", "2026-07-14")).Items.Select(m => m.Period), Is.EqualTo(new[] { "2026-07-13" }));
    }

    [TestCase("kpi,period\ndefect-rate,2026-07-14\n", "Missing column(s): value")]
    [TestCase("kpi,period,value,comment\ndefect-rate,2026-07-14,1,x\n", "Unknown column(s): comment")]
    [TestCase("kpi,period,value,Value\ndefect-rate,2026-07-14,1,2\n", "Repeated column(s): value")]
    [TestCase("", "empty")]
    [TestCase("\n\n", "empty")]
    public async Task Refuses_a_file_with_a_bad_header_naming_the_header(string csv, string reason)
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Csv(csv));

        var messages = await FieldErrorsAsync(response, "header");
        Assert.That(messages.Single(), Does.Contain(reason));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [TestCase("kpi,period,value\ndefect-rate,2026-07-13,1\ndefect-rate,2026-07-14,1\"5\n", "Line 3")]
    [TestCase("kpi,period,value,note\ndefect-rate,2026-07-13,1,\"ok\"\ndefect-rate,2026-07-14,1,\"never closed\ndefect-rate,2026-07-15,1,\n", "Line 3")]
    [TestCase("kpi,period,value,note\ndefect-rate,2026-07-14,1,\"closed\"late\n", "Line 2")]
    public async Task Refuses_a_file_with_malformed_quoting_naming_the_body_and_the_line(string csv, string line)
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Csv(csv), "?mode=partial");

        var messages = await FieldErrorsAsync(response, "body");
        Assert.That(messages.Single(), Does.StartWith(line));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [TestCase("application/json")]
    [TestCase("text/plain")]
    [TestCase("multipart/form-data; boundary=x")]
    public async Task Refuses_a_media_type_other_than_csv_or_ndjson_with_415(string contentType)
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Body(Encoding.UTF8.GetBytes("kpi,period,value\ndefect-rate,2026-07-14,1\n"), contentType));

        var problem = await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("unsupported-media-type"));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [TestCase("text/csv; charset=latin1")]
    [TestCase("text/csv; charset=iso-8859-1")]
    [TestCase("application/x-ndjson; charset=utf-16")]
    public async Task Refuses_csv_or_ndjson_in_a_charset_other_than_utf8_with_415_saying_what_to_send(string contentType)
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Body(Encoding.UTF8.GetBytes("kpi,period,value\ndefect-rate,2026-07-14,1\n"), contentType));

        var problem = await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("unsupported-media-type"));
        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo("Send text/csv or application/x-ndjson in UTF-8."));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Refuses_a_body_without_a_content_type_with_415()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("kpi,period,value\n"));

        var response = await ImportAsync(Api, content);

        await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task Imports_ndjson_lines()
    {
        await GivenKpiAsync("defect-rate");
        await GivenBooleanKpiAsync("audit-passed");
        var ndjson = """
            {"kpi":"defect-rate","period":"2026-07-13","value":1.25,"note":"a, \"b\"","externalId":"mes-1"}
            {"kpi":"defect-rate","period":"2026-07-14T10:00:00Z","value":-2}
            {"kpi":"audit-passed","period":"2026-07-14","value":true}
            """.ReplaceLineEndings("\r\n");

        var response = await ImportAsync(Api, Ndjson(ndjson));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Committed, import.Rows, import.Created), Is.EqualTo((true, 3, 3)));
        var first = (await RevisionsAsync("defect-rate", "2026-07-13")).Revisions.Single();
        Assert.That((first.Value.ToString(), first.Note, first.ExternalId), Is.EqualTo(("1.25", "a, \"b\"", "mes-1")));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items.Single().Value.ToString(), Is.EqualTo("-2"));
        var audit = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/audit-passed/measurements/2026-07-14"))!;
        Assert.That(audit["value"]!.ToJsonString(), Is.EqualTo("true"));
    }

    [TestCase("\"1.5\"")]
    [TestCase("{}")]
    [TestCase("[1]")]
    public async Task Rejects_an_ndjson_value_that_is_not_a_json_number_naming_the_value_column(string value)
    {
        await GivenKpiAsync("defect-rate");
        var ndjson = $$"""
            {"kpi":"defect-rate","period":"2026-07-13","value":1}
            {"kpi":"defect-rate","period":"2026-07-14","value":{{value}}}
            """;

        var response = await ImportAsync(Api, Ndjson(ndjson));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (2L, "value") }));
        Assert.That(import.Errors.Single().Reason, Does.Contain("JSON number"));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [TestCase("""{"kpi":"defect-rate","period":"2026-07-14","value":1""")]
    [TestCase("""{"kpi":"defect-rate","period":"2026-07-14","value":1}}""")]
    [TestCase("kpi,period,value")]
    [TestCase("[1, 2]")]
    [TestCase("42")]
    public async Task Reports_a_malformed_ndjson_line_by_its_line_number(string line)
    {
        await GivenKpiAsync("defect-rate");
        var ndjson = "{\"kpi\":\"defect-rate\",\"period\":\"2026-07-12\",\"value\":1}\n" + line + "\n{\"kpi\":\"defect-rate\",\"period\":\"2026-07-13\",\"value\":2}\n";

        var response = await ImportAsync(Api, Ndjson(ndjson), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created, import.Rejected), Is.EqualTo((3, 2, 1)));
        Assert.That(import.Errors.Single().Line, Is.EqualTo(2));
        Assert.That(import.Errors.Single().Reason, Does.Contain("JSON"));
    }

    [Test]
    public async Task Ignores_blank_ndjson_lines_but_counts_them_when_naming_a_line()
    {
        await GivenKpiAsync("defect-rate");
        var ndjson = "\n{\"kpi\":\"defect-rate\",\"period\":\"2026-07-13\",\"value\":1}\n\n   \r\n{\"kpi\":\"defect-rate\",\"period\":\"2026-07-16\",\"value\":2}\n\n";

        var response = await ImportAsync(Api, Ndjson(ndjson), "?mode=partial");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created, import.Rejected), Is.EqualTo((2, 1, 1)));
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (5L, "period") }));
    }

    [Test]
    public async Task Rejects_an_ndjson_line_with_an_unknown_property_naming_it()
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Ndjson("{\"kpi\":\"defect-rate\",\"period\":\"2026-07-13\",\"value\":1,\"unit\":\"%\"}\n"));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(import.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (1L, "unit") }));
    }

    [Test]
    public async Task Refuses_an_unknown_mode()
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Csv("kpi,period,value\ndefect-rate,2026-07-14,1\n"), "?mode=bogus");

        await FieldErrorsAsync(response, "mode");
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Replays_the_first_response_for_the_same_key_and_body_without_importing_again()
    {
        await GivenKpiAsync("defect-rate");
        const string csv = "kpi,period,value\ndefect-rate,2026-07-14,1.5\n";
        var first = await ImportAsync(Api, Csv(csv), idempotencyKey: "import-2026-07-14");
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), firstBody);
        await PushAsync("defect-rate", MeasurementBody("2026-07-14", 2.5m));

        var replay = await ImportAsync(Api, Csv(csv), idempotencyKey: "import-2026-07-14");

        var replayBody = await replay.Content.ReadAsStringAsync();
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK), replayBody);
        Assert.That(replay.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That(first.Headers.Contains("Idempotent-Replayed"), Is.False);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(replayBody), JsonNode.Parse(firstBody)), Is.True, $"{replayBody} vs {firstBody}");
        var revisions = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => (r.Value.ToString(), r.Source)), Is.EqualTo(new[] { ("2.5", MeasurementSource.Api), ("1.5", MeasurementSource.Import) }));
    }

    [Test]
    public async Task Replays_an_ndjson_import_retried_with_its_Idempotency_Key()
    {
        await GivenKpiAsync("defect-rate");
        const string ndjson = "{\"kpi\":\"defect-rate\",\"period\":\"2026-07-14\",\"value\":1.5}\n{\"kpi\":\"defect-rate\",\"period\":\"2026-07-15\",\"value\":1.6}";
        var first = await ImportAsync(Api, Ndjson(ndjson), idempotencyKey: "ndjson-import-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), firstBody);

        var replay = await ImportAsync(Api, Ndjson(ndjson), idempotencyKey: "ndjson-import-1");

        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK), await replay.Content.ReadAsStringAsync());
        Assert.That(replay.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-15")).Items.Select(m => m.Value.ToString()), Is.EqualTo(new[] { "1.5", "1.6" }));
    }

    [TestCase("kpi,period,value\ndefect-rate,2026-07-14,1.6\n", "")]
    [TestCase("kpi,period,value\ndefect-rate,2026-07-14,1.5\n", "?mode=partial")]
    [TestCase("kpi,period,value\ndefect-rate,2026-07-14,1.5\n", "?dryRun=true")]
    public async Task Refuses_the_same_key_with_another_request_with_422(string csv, string query)
    {
        await GivenKpiAsync("defect-rate");
        var first = await ImportAsync(Api, Csv("kpi,period,value\ndefect-rate,2026-07-14,1.5\n"), idempotencyKey: "import-1");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await ImportAsync(Api, Csv(csv), query, idempotencyKey: "import-1");

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("import-1"));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items.Single().Value.ToString(), Is.EqualTo("1.5"));
    }

    [Test]
    public async Task Does_not_keep_the_key_of_a_refused_atomic_import_so_a_corrected_retry_can_use_it()
    {
        await GivenKpiAsync("defect-rate");
        var refused = await ImportAsync(Api, Csv("kpi,period,value\ndefect-rate,2026-07-14,x\n"), idempotencyKey: "import-2");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));

        var response = await ImportAsync(Api, Csv("kpi,period,value\ndefect-rate,2026-07-14,1\n"), idempotencyKey: "import-2");

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That(import.Created, Is.EqualTo(1));
        Assert.That(response.Headers.Contains("Idempotent-Replayed"), Is.False);
    }

    [Test]
    public async Task Refuses_a_body_over_the_configured_limit_with_413_before_reading_it()
    {
        await GivenKpiAsync("defect-rate");
        await using var factory = ApiFixture.Factory.WithWebHostBuilder(host => host.UseSetting("Import:BodyBytes", "1000"));
        using var api = Callers.ClientOf(factory);
        api.DefaultRequestHeaders.Authorization = new("Bearer", Callers.AdminToken);
        var small = "kpi,period,value\ndefect-rate,2026-07-14,1\n";
        var large = new StringBuilder("kpi,period,value,note\n");
        while (large.Length < 2000) large.Append("defect-rate,2026-07-13,1,padding padding padding padding\n");
        var body = Csv(large.ToString()[..2000]);
        Assert.That(body.Headers.ContentLength, Is.EqualTo(2000));

        var response = await ImportAsync(api, body);

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("payload-too-large"));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
        Assert.That((await ImportAsync(api, Csv(small))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a body under the limit goes through");
    }

    [TestCase("", null)]
    [TestCase("\n \r\n", null)]
    [TestCase("\uFEFF", null)]
    [TestCase("", "empty-ndjson-1")]
    [TestCase("\uFEFF", "bom-only-ndjson-1")]
    [TestCase("\uFEFF\r\n\r\n", "bom-only-ndjson-2")]
    public async Task Refuses_an_empty_ndjson_file_as_it_refuses_an_empty_csv_file(string ndjson, string? idempotencyKey)
    {
        await GivenKpiAsync("defect-rate");

        var response = await ImportAsync(Api, Ndjson(ndjson), idempotencyKey: idempotencyKey);

        var messages = await FieldErrorsAsync(response, "body");
        Assert.That(messages.Single(), Does.Contain("empty"));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Replays_an_ndjson_import_sent_again_with_its_key()
    {
        await GivenKpiAsync("defect-rate");
        var ndjson = Ndjson("""{"kpi":"defect-rate","period":"2026-07-14","value":1.5}""" + "\n");

        var first = await ImportAsync(Api, ndjson, idempotencyKey: "ndjson-import-1");
        var retry = await ImportAsync(Api, Ndjson("""{"kpi":"defect-rate","period":"2026-07-14","value":1.5}""" + "\n"), idempotencyKey: "ndjson-import-1");

        Assert.That((await ImportedAsync(first, HttpStatusCode.OK)).Created, Is.EqualTo(1));
        Assert.That((await ImportedAsync(retry, HttpStatusCode.OK)).Created, Is.EqualTo(1));
        Assert.That(retry.Headers.Contains("Idempotent-Replayed"), Is.True);
        Assert.That(await StoredRowsAsync(), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public async Task An_atomic_import_that_stores_nothing_reports_nothing_created_or_updated()
    {
        var defects = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(defects.Id, 1.5m, "2026-07-12");
        var csv = new StringBuilder("kpi,period,value\ndefect-rate,2026-07-12,9\n");
        foreach (var back in Enumerable.Range(4, 2000)) csv.Append($"defect-rate,{Day(back)},{back}\n");
        csv.Append("defect-rate,2026-07-15,n/a\n");

        var response = await ImportAsync(Api, Csv(csv.ToString()));

        var import = await ImportedAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That((import.Committed, import.Rows, import.Created, import.Updated, import.Unchanged, import.Rejected), Is.EqualTo((false, 2002, 0, 0, 0, 1)));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public async Task Stores_values_computed_in_floating_point_with_every_digit_and_says_which_were_rounded()
    {
        await GivenKpiAsync("defect-rate", change: body => body["valueType"] = "number");
        var csv = "kpi,period,value\n"
            + "defect-rate,2026-07-11,1.1000000000000001\n"
            + "defect-rate,2026-07-12,0.000123456789012345\n"
            + "defect-rate,2026-07-13,5.551115123125783e-17\n"
            + "defect-rate,2026-07-14,0.30000000000000004\n";

        var response = await ImportAsync(Api, Csv(csv));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Committed, import.Created, import.Rounded), Is.EqualTo((true, 4, 1)));
        var stored = (await SeriesAsync("defect-rate", "2026-07-11", "2026-07-14")).Items.Select(m => m.Value.ToString()).ToArray();
        Assert.That(stored, Is.EqualTo(new[] { "1.1000000000000001", "0.000123456789012345", "0.0000000000000000555111512313", "0.30000000000000004" }));
    }

    // Scripts compute values in floating point and print them with up to 17 significant digits; none of them may turn
    // an atomic import of a realistic size into a refusal.
    [Test]
    public async Task Imports_200000_rows_of_floating_point_values_atomically_and_exactly()
    {
        const int kpis = 20, days = 10_000;
        for (var k = 0; k < kpis; k++) await GivenKpiAsync($"float-{k}", change: body => body["valueType"] = "number");
        var csv = new StringBuilder("kpi,period,value\n");
        var expected = new Dictionary<(int Kpi, int Back), string>();
        for (var k = 0; k < kpis; k++)
        {
            var value = 0.1 * (k + 1);
            for (var back = 1; back <= days; back++)
            {
                value = value * 1.0001 + 0.1 / back - 0.3;
                if (Math.Abs(value) < 1e-6) value += 1;   // far from zero, where 28 decimal places hold 15 digits and more
                var text = value.ToString("R", CultureInfo.InvariantCulture);
                if (back % 1000 == 0) expected[(k, back)] = text;
                csv.Append("float-").Append(k).Append(',').Append(Day(back)).Append(',').Append(text).Append('\n');
            }
        }

        var response = await ImportAsync(Api, Csv(csv.ToString()));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Committed, import.Rows, import.Created, import.Rejected, import.Rounded), Is.EqualTo((true, 200_000, 200_000, 0, 0)));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((200_000L, 0L)));
        foreach (var ((k, back), text) in expected)
        {
            var stored = (await SeriesAsync($"float-{k}", Day(back), Day(back))).Items.Single().Value.ToString();
            Assert.That(decimal.Parse(stored, NumberStyles.Float, CultureInfo.InvariantCulture),
                Is.EqualTo(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)), $"float-{k} {Day(back)}: sent {text}");
        }
    }

    private static async Task<ImportMeasurements.Response> ImportedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return (await response.Content.ReadFromJsonAsync<ImportMeasurements.Response>(Json))!;
    }

    /// <summary>A day before the fake clock's 2026-07-15, as a period label.</summary>
    private static string Day(int back) => new DateOnly(2026, 7, 15).AddDays(-back).ToString("yyyy-MM-dd");

    private static Task<KpiResponse> GivenDowntimeAsync() =>
        GivenKpiAsync("downtime", change: body =>
        {
            body["name"] = "Unplanned downtime";
            body["unit"] = "min";
            body["valueType"] = "number";
            body["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 60, ["warning"] = 90 };
        });

    private static Task<KpiResponse> GivenBooleanKpiAsync(string key) =>
        GivenKpiAsync(key, change: body =>
        {
            body["name"] = "Safety audit passed";
            body["unit"] = null;
            body["valueType"] = "boolean";
            body["target"] = new JsonObject { ["comparator"] = "equals", ["value"] = 1 };
        });
}
