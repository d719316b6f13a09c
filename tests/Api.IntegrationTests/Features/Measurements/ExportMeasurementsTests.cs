using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Measurements;
using static OkrKpi.Api.IntegrationTests.Features.Measurements.MeasurementImports;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

public sealed class ExportMeasurementsTests : IntegrationTest
{
    private const string ExportUrl = "/api/v1/measurements/export";

    [Test]
    public async Task Exports_csv_in_the_import_format_ordered_by_kpi_key_and_period_with_canonical_labels()
    {
        await GivenKpisAsync();
        await GivenValuesAsync();

        var response = await Api.GetAsync(ExportUrl + "?format=csv");

        var csv = await ExportedAsync(response, "text/csv");
        Assert.That(csv, Is.EqualTo(string.Join("\n",
            "kpi,period,value,note,externalId",
            "audit-passed,2026-07-13,false,,",
            "audit-passed,2026-07-14,true,,",
            "defect-rate,2026-07-13,1.25,\"Line 2, stopped \"\"early\"\"\",mes-1",
            "defect-rate,2026-07-14,-0.5,\"first line",
            "second line\",",
            "deployment-frequency,2026-W28,12,,ado-8812",
            "downtime,2026-07-14,0,,",
            "nps,2026-06,-41,=SUM(A1),",
            "production-rate,2026-07-15T07:00:00Z,98,,",
            "production-rate,2026-07-15T08:00:00Z,110.125,,",
            "")));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName, Is.EqualTo("measurements.csv"));
    }

    [Test]
    public async Task Exports_ndjson_in_the_import_format_ordered_by_kpi_key_and_period()
    {
        await GivenKpisAsync();
        await GivenValuesAsync();

        var response = await Api.GetAsync(ExportUrl + "?format=ndjson");

        var ndjson = await ExportedAsync(response, "application/x-ndjson");
        Assert.That(ndjson, Does.EndWith("\n"));
        var lines = ndjson.TrimEnd('\n').Split('\n').Select(line => JsonNode.Parse(line)!.ToJsonString()).ToArray();
        Assert.That(lines, Is.EqualTo(new[]
        {
            """{"kpi":"audit-passed","period":"2026-07-13","value":false}""",
            """{"kpi":"audit-passed","period":"2026-07-14","value":true}""",
            """{"kpi":"defect-rate","period":"2026-07-13","value":1.25,"note":"Line 2, stopped \u0022early\u0022","externalId":"mes-1"}""",
            """{"kpi":"defect-rate","period":"2026-07-14","value":-0.5,"note":"first line\nsecond line"}""",
            """{"kpi":"deployment-frequency","period":"2026-W28","value":12,"externalId":"ado-8812"}""",
            """{"kpi":"downtime","period":"2026-07-14","value":0}""",
            """{"kpi":"nps","period":"2026-06","value":-41,"note":"=SUM(A1)"}""",
            """{"kpi":"production-rate","period":"2026-07-15T07:00:00Z","value":98}""",
            """{"kpi":"production-rate","period":"2026-07-15T08:00:00Z","value":110.125}""",
        }));
        Assert.That(JsonNode.Parse(ndjson.Split('\n')[3])!["note"]!.GetValue<string>(), Is.EqualTo("first line\nsecond line"));
    }

    [Test]
    public async Task Exports_ndjson_when_the_client_accepts_it_and_names_no_format()
    {
        await GivenKpisAsync();
        await GivenValuesAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, ExportUrl + "?kpis=downtime");
        request.Headers.Accept.ParseAdd("application/x-ndjson");

        var response = await Api.SendAsync(request);

        var ndjson = await ExportedAsync(response, "application/x-ndjson");
        Assert.That(ndjson, Is.EqualTo("{\"kpi\":\"downtime\",\"period\":\"2026-07-14\",\"value\":0}\n"));
    }

    [TestCase("csv")]
    [TestCase("ndjson")]
    public async Task Exports_only_the_named_kpis_whatever_the_case_of_their_keys(string format)
    {
        await GivenKpisAsync();
        await GivenValuesAsync();

        var response = await Api.GetAsync($"{ExportUrl}?format={format}&kpis=DOWNTIME, audit-passed,no-such-kpi");

        var rows = await RowsAsync(response, format);
        Assert.That(rows, Is.EqualTo(new[] { ("audit-passed", "2026-07-13"), ("audit-passed", "2026-07-14"), ("downtime", "2026-07-14") }));
    }

    [TestCase("csv")]
    [TestCase("ndjson")]
    public async Task Exports_the_periods_that_start_between_from_and_to_inclusive(string format)
    {
        await GivenKpisAsync();
        await GivenValuesAsync();

        var days = await RowsAsync(await Api.GetAsync($"{ExportUrl}?format={format}&from=2026-07-14&to=2026-07-14"), format);
        var hours = await RowsAsync(await Api.GetAsync($"{ExportUrl}?format={format}&kpis=production-rate&from=2026-07-15T08:00:00Z&to=2026-07-15T10:00:00%2B02:00"), format);
        var untilJune = await RowsAsync(await Api.GetAsync($"{ExportUrl}?format={format}&to=2026-06-30"), format);
        var fromJuly15 = await RowsAsync(await Api.GetAsync($"{ExportUrl}?format={format}&from=2026-07-15"), format);

        Assert.That(days, Is.EqualTo(new[] { ("audit-passed", "2026-07-14"), ("defect-rate", "2026-07-14"), ("downtime", "2026-07-14") }));
        Assert.That(hours, Is.EqualTo(new[] { ("production-rate", "2026-07-15T08:00:00Z") }));
        Assert.That(untilJune, Is.EqualTo(new[] { ("nps", "2026-06") }));
        Assert.That(fromJuly15, Is.EqualTo(new[] { ("production-rate", "2026-07-15T07:00:00Z"), ("production-rate", "2026-07-15T08:00:00Z") }));
    }

    [Test]
    public async Task Exports_only_the_header_when_nothing_matches()
    {
        await GivenKpisAsync();

        var csv = await ExportedAsync(await Api.GetAsync(ExportUrl), "text/csv");
        var ndjson = await ExportedAsync(await Api.GetAsync(ExportUrl + "?format=ndjson"), "application/x-ndjson");

        Assert.That(csv, Is.EqualTo("kpi,period,value,note,externalId\n"));
        Assert.That(ndjson, Is.Empty);
    }

    [TestCase("csv")]
    [TestCase("ndjson")]
    public async Task An_export_imported_into_an_empty_database_reproduces_the_same_data(string format)
    {
        await GivenKpisAsync();
        await GivenValuesAsync();
        var exported = await Api.GetAsync($"{ExportUrl}?format={format}");
        var before = await exported.Content.ReadAsStringAsync();
        var contentType = exported.Content.Headers.ContentType!.ToString();
        await ApiFixture.ResetDatabaseAsync();
        await GivenKpisAsync();

        var response = await ImportAsync(Api, Body(System.Text.Encoding.UTF8.GetBytes(before), contentType));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Committed, import.Rows, import.Created, import.Rejected), Is.EqualTo((true, 9, 9, 0)));
        var after = await ExportedAsync(await Api.GetAsync($"{ExportUrl}?format={format}"), contentType.Split(';')[0]);
        Assert.That(after, Is.EqualTo(before));
        var revision = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions.Single();
        Assert.That((revision.Value.ToString(), revision.Note, revision.Source), Is.EqualTo(("-0.5", "first line\nsecond line", MeasurementSource.Import)));
    }

    [TestCase("csv")]
    [TestCase("ndjson")]
    public async Task Reimporting_an_export_reports_every_row_unchanged(string format)
    {
        await GivenKpisAsync();
        await GivenValuesAsync();
        var exported = await Api.GetAsync($"{ExportUrl}?format={format}");
        var body = await exported.Content.ReadAsByteArrayAsync();
        var stored = await StoredRowsAsync();

        var response = await ImportAsync(Api, Body(body, exported.Content.Headers.ContentType!.ToString()));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Created, import.Updated, import.Unchanged, import.Rejected), Is.EqualTo((9, 0, 0, 9, 0)));
        Assert.That(await StoredRowsAsync(), Is.EqualTo(stored));
    }

    [TestCase("csv")]
    [TestCase("ndjson")]
    public async Task Reimporting_an_export_of_values_pushed_with_blank_notes_reports_them_unchanged(string format)
    {
        await GivenKpisAsync();
        var blank = new JsonArray(Item("defect-rate", "2026-07-13", 1, note: "", externalId: "  "), Item("defect-rate", "2026-07-14", 2, note: "   "));
        Assert.That((await PostJsonAsync("/api/v1/measurements/batch", new JsonObject { ["items"] = blank })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var exported = await Api.GetAsync($"{ExportUrl}?format={format}");
        var body = await exported.Content.ReadAsByteArrayAsync();

        var response = await ImportAsync(Api, Body(body, exported.Content.Headers.ContentType!.ToString()));

        var import = await ImportedAsync(response, HttpStatusCode.OK);
        Assert.That((import.Rows, import.Updated, import.Unchanged), Is.EqualTo((2, 0, 2)));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((2L, 0L)));
    }

    [Test]
    public async Task Streams_200000_values_as_csv_to_the_end_and_they_reimport_as_unchanged()
    {
        const int rows = 200_000;
        await GivenKpiAsync("production-rate", change: b =>
        {
            b["frequency"] = "hourly";
            b["valueType"] = "number";
            b["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 100, ["warning"] = 90 };
        });
        var csv = new System.Text.StringBuilder("kpi,period,value\n", rows * 40);
        var first = new DateTimeOffset(2003, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < rows; i++)
            csv.Append("production-rate,").Append(first.AddHours(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")).Append(',').Append(80 + i % 400 / 10m).Append('\n');
        var loaded = await ImportedAsync(await ImportAsync(Api, Csv(csv.ToString())), HttpStatusCode.OK);
        Assert.That(loaded.Created, Is.EqualTo(rows));

        var exported = await Api.GetAsync($"{ExportUrl}?format=csv");
        var body = await exported.Content.ReadAsByteArrayAsync();

        Assert.That(exported.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.Count(b => b == (byte)'\n'), Is.EqualTo(rows + 1), "the header and every row, to the last");
        var reimport = await ImportedAsync(await ImportAsync(Api, Body(body, exported.Content.Headers.ContentType!.ToString())), HttpStatusCode.OK);
        Assert.That((reimport.Rows, reimport.Unchanged, reimport.Created, reimport.Updated), Is.EqualTo(((long)rows, (long)rows, 0L, 0L)));
    }

    [Test]
    public void The_server_under_test_refuses_synchronous_io_as_production_does()
    {
        var server = ApiFixture.Factory.Server;

        Assert.That(server.AllowSynchronousIO, Is.False);
    }

    [TestCase("?format=xlsx", "format")]
    [TestCase("?format=CSV", "format")]
    [TestCase("?from=yesterday", "from")]
    [TestCase("?to=2026-07-14T10:00:00", "to")]
    public async Task Refuses_a_bad_query_naming_the_parameter(string query, string field)
    {
        var response = await Api.GetAsync(ExportUrl + query);

        await FieldErrorsAsync(response, field);
    }

    /// <summary>Pushes values in no particular order, each period in a form other than its canonical label where one exists.</summary>
    private static async Task GivenValuesAsync()
    {
        var items = new JsonArray(
            Item("production-rate", "2026-07-15T08:59:59Z", 110.125m),
            Item("defect-rate", "2026-07-14T12:15:00+02:00", -0.5m, note: "first line\nsecond line"),
            Item("nps", "2026-06-20", -41, note: "=SUM(A1)"),
            Item("audit-passed", "2026-07-14", true),
            Item("deployment-frequency", "2026-07-08", 12, externalId: "ado-8812"),
            Item("defect-rate", "2026-07-13", 1.25m, note: "Line 2, stopped \"early\"", externalId: "mes-1"),
            Item("downtime", "2026-07-14", 0),
            Item("production-rate", "2026-07-15T07:30:00Z", 98),
            Item("audit-passed", "2026-07-13", false));
        var response = await PostJsonAsync("/api/v1/measurements/batch", new JsonObject { ["items"] = items });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static JsonObject Item(string kpi, string period, JsonNode value, string? note = null, string? externalId = null) =>
        new() { ["kpi"] = kpi, ["period"] = period, ["value"] = value, ["note"] = note, ["externalId"] = externalId };

    private static async Task GivenKpisAsync()
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("downtime", change: Number("daily"));
        await GivenKpiAsync("production-rate", change: Number("hourly"));
        await GivenKpiAsync("deployment-frequency", change: Number("weekly"));
        await GivenKpiAsync("nps", change: Number("monthly"));
        await GivenKpiAsync("audit-passed", change: body =>
        {
            body["unit"] = null;
            body["valueType"] = "boolean";
            body["target"] = new JsonObject { ["comparator"] = "equals", ["value"] = 1 };
        });
    }

    private static Action<JsonObject> Number(string frequency) => body =>
    {
        body["valueType"] = "number";
        body["frequency"] = frequency;
        body["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 10 };
    };

    private static async Task<string> ExportedAsync(HttpResponseMessage response, string mediaType)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
        Assert.That(response.Content.Headers.ContentType?.CharSet, Is.EqualTo("utf-8"));
        return text;
    }

    private static async Task<ImportMeasurements.Response> ImportedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return (await response.Content.ReadFromJsonAsync<ImportMeasurements.Response>(Json))!;
    }

    /// <summary>The KPI and period of each exported row, read back with the importer's own rules: as CSV, or as JSON lines.</summary>
    private static async Task<(string Kpi, string Period)[]> RowsAsync(HttpResponseMessage response, string format)
    {
        var text = await ExportedAsync(response, format == "csv" ? "text/csv" : "application/x-ndjson");
        if (format == "ndjson")
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonNode.Parse(line)!)
                .Select(row => (row["kpi"]!.GetValue<string>(), row["period"]!.GetValue<string>()))
                .ToArray();
        // KPI and period come before any note, so commas in notes do no harm; the one note with a line break is folded first.
        return text.Replace("\"first line\nsecond line\"", "note").TrimEnd('\n').Split('\n').Skip(1)
            .Select(line => line.Split(','))
            .Select(fields => (fields[0], fields[1]))
            .ToArray();
    }
}
