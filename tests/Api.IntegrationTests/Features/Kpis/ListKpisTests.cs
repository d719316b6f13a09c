using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis;

public sealed class ListKpisTests : IntegrationTest
{
    [Test]
    public async Task Lists_every_kpi_ordered_by_key_ignoring_case()
    {
        await GivenKpiAsync("scrap-rate");
        await GivenKpiAsync("Defect-rate");
        await GivenKpiAsync("oee");

        var page = await ListAsync("");

        Assert.That(page.Items.Select(k => k.Key), Is.EqualTo(new[] { "Defect-rate", "oee", "scrap-rate" }));
        Assert.That(page.Items.Select(k => k.Tags), Has.All.EqualTo(new[] { "manufacturing", "quality" }));
        Assert.That(page.NextCursor, Is.Null);
    }

    [Test]
    public async Task Answers_an_empty_page_when_there_are_no_kpis()
    {
        var page = await ListAsync("");

        Assert.That(page.Items, Is.Empty);
        Assert.That(page.NextCursor, Is.Null);
    }

    [TestCase("active", "defect-rate")]
    [TestCase("retired", "scrap-rate")]
    [TestCase("Retired", "scrap-rate")]
    public async Task Filters_by_status(string status, string expected)
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("scrap-rate");
        await GivenRetiredAsync("scrap-rate");

        var page = await ListAsync($"status={status}");

        Assert.That(page.Items.Select(k => k.Key), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public async Task Filters_by_owner_team()
    {
        var quality = await GivenTeamAsync("Quality");
        var sales = await GivenTeamAsync("Sales");
        await GivenKpiAsync("defect-rate", quality.Id);
        await GivenKpiAsync("scrap-rate", quality.Id);
        await GivenKpiAsync("revenue", sales.Id);
        await GivenKpiAsync("unowned");

        var page = await ListAsync($"ownerTeamId={quality.Id}");

        Assert.That(page.Items.Select(k => k.Key), Is.EqualTo(new[] { "defect-rate", "scrap-rate" }));
    }

    [TestCase("quality")]
    [TestCase("Quality")]
    public async Task Filters_by_tag_ignoring_case(string tag)
    {
        await GivenKpiAsync("defect-rate", change: b => b["tags"] = new JsonArray("quality"));
        await GivenKpiAsync("revenue", change: b => b["tags"] = new JsonArray("finance"));
        await GivenKpiAsync("first-pass-yield", change: b => b["tags"] = new JsonArray("lean", "quality"));
        await GivenKpiAsync("quality-score", change: b => b["tags"] = new JsonArray("quality-assurance"));

        var page = await ListAsync($"tag={tag}");

        Assert.That(page.Items.Select(k => k.Key), Is.EqualTo(new[] { "defect-rate", "first-pass-yield" }));
        Assert.That(page.Items.Single(k => k.Key == "first-pass-yield").Tags, Is.EqualTo(new[] { "lean", "quality" }));
    }

    [Test]
    public async Task Filters_by_frequency()
    {
        await GivenKpiAsync("defect-rate", change: b => b["frequency"] = "daily");
        await GivenKpiAsync("revenue", change: b => b["frequency"] = "monthly");
        await GivenKpiAsync("churn", change: b => b["frequency"] = "monthly");

        var page = await ListAsync("frequency=monthly");

        Assert.That(page.Items.Select(k => k.Key), Is.EqualTo(new[] { "churn", "revenue" }));
    }

    [TestCase("scrap", "scrap-rate")]
    [TestCase("SCRAP", "scrap-rate")]
    [TestCase("Yield", "first-pass-yield")]
    [TestCase("booked", "revenue")]
    [TestCase("units that", "defect-rate")]
    public async Task Searches_key_name_and_description_ignoring_case(string q, string expected)
    {
        await GivenKpiAsync("defect-rate", change: b => { b["name"] = "Defect rate"; b["description"] = "Share of units that fail inspection."; });
        await GivenKpiAsync("scrap-rate", change: b => { b["name"] = "Material loss"; b["description"] = "Material thrown away."; });
        await GivenKpiAsync("first-pass-yield", change: b => { b["name"] = "First pass YIELD"; b["description"] = null; });
        await GivenKpiAsync("revenue", change: b => { b["name"] = "Revenue"; b["description"] = "Invoiced and booked sales."; });

        var page = await ListAsync($"q={Uri.EscapeDataString(q)}");

        Assert.That(page.Items.Select(k => k.Key), Is.EqualTo(new[] { expected }));
    }

    [TestCase("écart", "stock-variance")]
    [TestCase("ÉCART", "stock-variance")]
    [TestCase("übergabe", "handover-time")]
    [TestCase("ÜBERGABEZEIT", "handover-time")]
    public async Task Searches_names_and_descriptions_ignoring_case_beyond_ascii(string q, string expected)
    {
        await GivenKpiAsync("stock-variance", change: b => { b["name"] = "Écart de stock"; b["description"] = null; });
        await GivenKpiAsync("handover-time", change: b => { b["name"] = "Handover"; b["description"] = "Übergabezeit zwischen Schichten."; });
        await GivenKpiAsync("defect-rate", change: b => { b["name"] = "Defect rate"; b["description"] = null; });

        var page = await ListAsync($"q={Uri.EscapeDataString(q)}");

        Assert.That(page.Items.Select(k => k.Key), Is.EqualTo(new[] { expected }));
    }

    // Unescaped, % and _ would be LIKE wildcards and "Defect rate" would match "t%r" and "t_r" too.
    [TestCase("t%r", "cost-ratio")]
    [TestCase("t_r", "cost_ratio")]
    [TestCase("%", "cost-ratio")]
    [TestCase("_", "cost_ratio")]
    [TestCase("\\", "net-to-gross")]
    public async Task Searches_for_percent_underscore_and_backslash_literally(string q, string expected)
    {
        await GivenKpiAsync("defect-rate", change: b => { b["name"] = "Defect rate"; b["description"] = "Not a tarot reading."; });
        await GivenKpiAsync("cost-ratio", change: b => { b["name"] = "Cost%ratio"; b["description"] = null; });
        await GivenKpiAsync("cost_ratio", change: b => { b["name"] = "Cost ratio"; b["description"] = null; });
        await GivenKpiAsync("net-to-gross", change: b => { b["name"] = "Net\\gross"; b["description"] = null; });

        var page = await ListAsync($"q={Uri.EscapeDataString(q)}");

        Assert.That(page.Items.Select(k => k.Key), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public async Task Combines_filters()
    {
        var quality = await GivenTeamAsync("Quality");
        await GivenKpiAsync("defect-rate", quality.Id, b => { b["frequency"] = "daily"; b["tags"] = new JsonArray("quality"); });
        await GivenKpiAsync("defect-rate-weekly", quality.Id, b => { b["frequency"] = "weekly"; b["tags"] = new JsonArray("quality"); });
        await GivenKpiAsync("defect-rate-other", change: b => { b["frequency"] = "daily"; b["tags"] = new JsonArray("quality"); });
        await GivenKpiAsync("defect-rate-untagged", quality.Id, b => { b["frequency"] = "daily"; b["tags"] = new JsonArray("lean"); });
        await GivenKpiAsync("defect-rate-retired", quality.Id, b => { b["frequency"] = "daily"; b["tags"] = new JsonArray("quality"); });
        await GivenKpiAsync("scrap-rate", quality.Id, b => { b["name"] = "Scrap"; b["description"] = null; b["frequency"] = "daily"; b["tags"] = new JsonArray("quality"); });
        await GivenRetiredAsync("defect-rate-retired");

        var page = await ListAsync($"status=active&ownerTeamId={quality.Id}&tag=quality&frequency=daily&q=defect");

        Assert.That(page.Items.Select(k => k.Key), Is.EqualTo(new[] { "defect-rate" }));
    }

    [Test]
    public async Task Pages_through_every_kpi_once_with_the_cursor()
    {
        var keys = new[] { "kpi-a", "KPI-b", "kpi-c", "kpi-d", "kpi-e" };
        foreach (var key in keys.Reverse())
            await GivenKpiAsync(key);

        var first = await ListAsync("limit=2");
        var second = await ListAsync($"limit=2&cursor={first.NextCursor}");
        var third = await ListAsync($"limit=2&cursor={second.NextCursor}");

        Assert.That(first.Items.Select(k => k.Key), Is.EqualTo(new[] { "kpi-a", "KPI-b" }));
        Assert.That(second.Items.Select(k => k.Key), Is.EqualTo(new[] { "kpi-c", "kpi-d" }));
        Assert.That(third.Items.Select(k => k.Key), Is.EqualTo(new[] { "kpi-e" }));
        Assert.That(first.NextCursor, Is.Not.Null);
        Assert.That(second.NextCursor, Is.Not.Null);
        Assert.That(third.NextCursor, Is.Null);
    }

    [Test]
    public async Task Ends_with_a_null_cursor_when_the_last_page_is_exactly_full()
    {
        foreach (var key in new[] { "kpi-a", "kpi-b", "kpi-c", "kpi-d" })
            await GivenKpiAsync(key);

        var first = await ListAsync("limit=2");
        var second = await ListAsync($"limit=2&cursor={first.NextCursor}");

        Assert.That(second.Items.Select(k => k.Key), Is.EqualTo(new[] { "kpi-c", "kpi-d" }));
        Assert.That(second.NextCursor, Is.Null);
    }

    [Test]
    public async Task Pages_through_a_filtered_list_without_gaps_or_duplicates()
    {
        for (var i = 1; i <= 7; i++)
        {
            var frequency = i % 2 == 0 ? "weekly" : "daily";
            await GivenKpiAsync($"kpi-{i:00}", change: b => b["frequency"] = frequency);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ListAsync($"frequency=daily&limit=3{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(page.Items.Select(k => k.Key));
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null && pages < 10);

        Assert.That(seen, Is.EqualTo(new[] { "kpi-01", "kpi-03", "kpi-05", "kpi-07" }));
        Assert.That(pages, Is.EqualTo(2));
    }

    [Test]
    public async Task Uses_a_default_page_size_of_50()
    {
        for (var i = 1; i <= 51; i++)
            await GivenKpiAsync($"kpi-{i:00}");

        var page = await ListAsync("");

        Assert.That(page.Items, Has.Count.EqualTo(50));
        Assert.That(page.NextCursor, Is.Not.Null);
    }

    [TestCase("status=deleted", "status")]
    [TestCase("status=1", "status")]
    [TestCase("frequency=fortnightly", "frequency")]
    [TestCase("frequency=0", "frequency")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("limit=-1", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    [TestCase("cursor=Zm9vYmFy", "cursor")]
    [TestCase("ownerTeamId=sales", "ownerTeamId")]
    public async Task Refuses_an_invalid_query_value_and_names_it(string query, string field)
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync($"/api/v1/kpis?{query}");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }), problem.ToJsonString());
    }

    [TestCase("tag", 41)]
    [TestCase("q", 101)]
    public async Task Refuses_filter_text_longer_than_its_maximum(string field, int length)
    {
        var response = await Api.GetAsync($"/api/v1/kpis?{field}={new string('a', length)}");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }), problem.ToJsonString());
    }

    [TestCase("tag", 40)]
    [TestCase("q", 100)]
    public async Task Accepts_filter_text_at_its_maximum_length(string field, int length)
    {
        await GivenKpiAsync("defect-rate");

        var page = await ListAsync($"{field}={new string('a', length)}");

        Assert.That(page.Items, Is.Empty);
    }

    [TestCase(1)]
    [TestCase(200)]
    public async Task Accepts_a_limit_between_1_and_200(int limit)
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("scrap-rate");

        var page = await ListAsync($"limit={limit}");

        Assert.That(page.Items, Has.Count.EqualTo(Math.Min(limit, 2)));
    }

    private static async Task GivenRetiredAsync(string key)
    {
        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{key}/retire");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static async Task<Page<KpiResponse>> ListAsync(string query)
    {
        var response = await Api.GetAsync($"/api/v1/kpis?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<Page<KpiResponse>>(response);
    }
}
