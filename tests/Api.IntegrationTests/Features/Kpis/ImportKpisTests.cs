using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis;

public sealed class ImportKpisTests : IntegrationTest
{
    private const string Header = "key,name,unit,valueType,frequency,comparator,target,warning,low,high,tags,ownerTeamId";

    private static Task<HttpResponseMessage> ImportAsync(string body, string query = "", string contentType = "text/csv") =>
        Api.PostAsync($"/api/v1/kpis/import{query}", new StringContent(body, Encoding.UTF8, contentType));

    private static async Task<JsonObject> ResultAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static long Count(JsonObject result, string name) => result[name]!.GetValue<long>();

    [Test]
    public async Task Creates_a_catalogue_from_csv_with_flattened_targets_and_tags()
    {
        var csv = $"""
            {Header}
            first-response,First response time,hours,number,weekly,atMost,4,8,,,support|sla,
            uptime,Uptime,%,percentage,monthly,between,,98,99.5,100,ops;sla,
            """;

        var result = await ResultAsync(await ImportAsync(csv), HttpStatusCode.OK);

        Assert.That(Count(result, "created"), Is.EqualTo(2));
        var uptime = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/uptime"))!;
        Assert.That(uptime["target"]!.ToJsonString(), Is.EqualTo("""{"comparator":"between","value":null,"low":99.5,"high":100,"warning":98}"""));
        Assert.That(uptime["tags"]!.ToJsonString(), Is.EqualTo("""["ops","sla"]"""));
    }

    [Test]
    public async Task Updates_known_keys_and_reports_identical_rows_unchanged()
    {
        await GivenKpiAsync("defect-rate");
        var csv = $"""
            {Header}
            defect-rate,Defect rate,%,percentage,daily,atMost,2,3,,,manufacturing|quality,
            nps,Net promoter score,score,number,monthly,atLeast,45,30,,,,
            """;
        await ResultAsync(await ImportAsync(csv), HttpStatusCode.OK);
        var changed = csv.Replace("atMost,2,3", "atMost,1.5,3");

        var result = await ResultAsync(await ImportAsync(changed), HttpStatusCode.OK);

        Assert.That((Count(result, "created"), Count(result, "updated"), Count(result, "unchanged")), Is.EqualTo((0L, 1L, 1L)));
        var kpi = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/defect-rate"))!;
        Assert.That(kpi["target"]!["value"]!.GetValue<decimal>(), Is.EqualTo(1.5m));
    }

    [Test]
    public async Task Stores_nothing_when_any_row_is_invalid_and_names_its_line_and_column()
    {
        var csv = $"""
            {Header}
            good-one,Good,,number,daily,atLeast,1,,,,,
            bad-one,Bad,,number,daily,atLeast,1,5,,,,
            """;

        var result = await ResultAsync(await ImportAsync(csv), HttpStatusCode.UnprocessableEntity);

        Assert.That(result["committed"]!.GetValue<bool>(), Is.False);
        var error = result["errors"]![0]!;
        Assert.That((error["line"]!.GetValue<long>(), error["column"]!.GetValue<string>()), Is.EqualTo((3L, "warning")));
        Assert.That((await Api.GetAsync("/api/v1/kpis/good-one")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Stores_the_valid_rows_in_partial_mode()
    {
        var csv = $"""
            {Header}
            good-one,Good,,number,daily,atLeast,1,,,,,
            bad one,Bad,,number,daily,atLeast,1,,,,,
            """;

        var result = await ResultAsync(await ImportAsync(csv, "?mode=partial"), HttpStatusCode.OK);

        Assert.That((Count(result, "created"), Count(result, "rejected")), Is.EqualTo((1L, 1L)));
        Assert.That(result["errors"]![0]!["column"]!.GetValue<string>(), Is.EqualTo("key"));
        Assert.That((await Api.GetAsync("/api/v1/kpis/good-one")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Validates_without_storing_in_a_dry_run()
    {
        var csv = $"""
            {Header}
            good-one,Good,,number,daily,atLeast,1,,,,,
            """;

        var result = await ResultAsync(await ImportAsync(csv, "?dryRun=true"), HttpStatusCode.OK);

        Assert.That((result["committed"]!.GetValue<bool>(), Count(result, "created")), Is.EqualTo((false, 1L)));
        Assert.That((await Api.GetAsync("/api/v1/kpis/good-one")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("dup,A,,number,daily,atLeast,1,,,,,\nDUP,B,,number,daily,atLeast,1,,,,,", 3, "key")]
    [TestCase("x,A,,number,daily,sometimes,1,,,,,", 2, "comparator")]
    [TestCase("x,A,,number,fortnightly,atLeast,1,,,,,", 2, "frequency")]
    [TestCase("x,A,,number,daily,atLeast,one,,,,,", 2, "target")]
    [TestCase("x,A,,number,daily,atLeast,1,,,,,not-a-uuid", 2, "ownerTeamId")]
    [TestCase("x,A,,number,daily,atLeast,1,,,,,0f8fad5b-d9cb-469f-a165-70867728950e", 2, "ownerTeamId")]
    [TestCase("x,A,,boolean,daily,atLeast,1,,,,,", 2, "comparator")]
    [TestCase("x,,,number,daily,atLeast,1,,,,,", 2, "name")]
    [TestCase("x,A,,number,daily,atLeast,1,000,,,,,", 2, "line")]
    public async Task Rejects_a_row_naming_the_column(string rows, long line, string column)
    {
        var result = await ResultAsync(await ImportAsync($"{Header}\n{rows}\n"), HttpStatusCode.UnprocessableEntity);

        var error = result["errors"]![0]!;
        Assert.That((error["line"]!.GetValue<long>(), error["column"]!.GetValue<string>()), Is.EqualTo((line, column)), result.ToJsonString());
    }

    [Test]
    public async Task Refuses_to_change_the_frequency_of_a_kpi_that_has_measurements()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id);

        var result = await ResultAsync(await ImportAsync($"{Header}\ndefect-rate,Defect rate,%,percentage,weekly,atMost,2,3,,,,\n"), HttpStatusCode.UnprocessableEntity);

        Assert.That(result["errors"]![0]!["reason"]!.GetValue<string>(), Does.Contain("frequency"));
    }

    [Test]
    public async Task Reads_ndjson_lines_shaped_like_the_create_body()
    {
        var team = await GivenTeamAsync("Customer Success");
        var ndjson = $$$"""
            {"key":"nps","name":"Net promoter score","valueType":"number","frequency":"monthly","target":{"comparator":"atLeast","value":45,"warning":30},"ownerTeamId":"{{{team.Id}}}","tags":["customer"]}

            {"key":"csat","name":"CSAT","valueType":"percentage","frequency":"monthly","target":{"comparator":"atLeast","value":"90"}}
            """;

        var result = await ResultAsync(await ImportAsync(ndjson, "?mode=partial", "application/x-ndjson"), HttpStatusCode.OK);

        Assert.That((Count(result, "created"), Count(result, "rejected")), Is.EqualTo((1L, 1L)));
        var error = result["errors"]![0]!;
        Assert.That((error["line"]!.GetValue<long>(), error["column"]!.GetValue<string>()), Is.EqualTo((3L, "target.value")));
    }

    [Test]
    public async Task Refuses_a_header_without_the_required_columns()
    {
        var response = await ImportAsync("key,name\nx,A\n");

        var messages = await FieldErrorsAsync(response, "header");
        Assert.That(messages[0], Does.Contain("valueType"));
    }

    [TestCase("", null)]
    [TestCase("\uFEFF", null)]
    [TestCase("", "empty-kpis-1")]
    [TestCase("\uFEFF\n", "bom-only-kpis-1")]
    public async Task Refuses_an_empty_ndjson_file_naming_the_body(string ndjson, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/kpis/import") { Content = new StringContent(ndjson, new UTF8Encoding(false), "application/x-ndjson") };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);

        var response = await Api.SendAsync(request);

        var messages = await FieldErrorsAsync(response, "body");
        Assert.That(messages.Single(), Does.Contain("empty"));
    }

    [Test]
    public async Task Refuses_a_body_that_is_neither_csv_nor_ndjson()
    {
        var response = await ImportAsync("{}", contentType: "application/json");

        await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }
}
