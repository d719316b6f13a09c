using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis;

public sealed class CreateKpiTests : IntegrationTest
{
    private const string Kpis = "/api/v1/kpis";

    [Test]
    public async Task Creates_a_kpi_and_answers_with_its_location_and_first_etag()
    {
        var team = await GivenTeamAsync("Manufacturing");

        var response = await PostJsonAsync(Kpis, KpiBody("defect-rate", team.Id));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var kpi = await ReadAsync<KpiResponse>(response);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/kpis/{kpi.Id}"));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That(kpi.Key, Is.EqualTo("defect-rate"));
        Assert.That(kpi.Name, Is.EqualTo("Defect rate"));
        Assert.That(kpi.Formula, Is.EqualTo("defective units / units produced × 100"));
        Assert.That(kpi.Unit, Is.EqualTo("%"));
        Assert.That(kpi.ValueType, Is.EqualTo(KpiValueType.Percentage));
        Assert.That(kpi.Frequency, Is.EqualTo(KpiFrequency.Daily));
        Assert.That(kpi.Target, Is.EqualTo(new KpiTarget(TargetComparator.AtMost, 2m, null, null, 3m)));
        Assert.That(kpi.OwnerTeamId, Is.EqualTo(team.Id));
        Assert.That(kpi.Status, Is.EqualTo(KpiStatus.Active));
        Assert.That(kpi.HasMeasurements, Is.False);
        Assert.That(kpi.Version, Is.EqualTo(1));
        Assert.That(kpi.CreatedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
    }

    [Test]
    public async Task Stores_the_kpi_so_that_it_can_be_read_back()
    {
        var response = await PostJsonAsync(Kpis, KpiBody("defect-rate"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = await ReadAsync<KpiResponse>(response);

        var read = await ReadAsync<KpiResponse>(await Api.GetAsync(response.Headers.Location));

        Assert.That(read with { Tags = [] }, Is.EqualTo(created with { Tags = [] }));
        Assert.That(read.Tags, Is.EqualTo(created.Tags));
    }

    [Test]
    public async Task Trims_the_text_fields()
    {
        var body = KpiBody("defect-rate");
        body["name"] = "  Defect rate  ";
        body["unit"] = " % ";

        var response = await PostJsonAsync(Kpis, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var kpi = await ReadAsync<KpiResponse>(response);
        Assert.That(kpi.Name, Is.EqualTo("Defect rate"));
        Assert.That(kpi.Unit, Is.EqualTo("%"));
    }

    [Test]
    public async Task Normalises_tags_to_lower_case_without_duplicates_in_order()
    {
        var body = KpiBody();
        body["tags"] = new JsonArray("Quality", "manufacturing", "quality", "LEAN", "lean");

        var response = await PostJsonAsync(Kpis, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = await ReadAsync<KpiResponse>(response);
        Assert.That(created.Tags, Is.EqualTo(new[] { "lean", "manufacturing", "quality" }));
        var read = await ReadAsync<KpiResponse>(await Api.GetAsync($"{Kpis}/{created.Id}"));
        Assert.That(read.Tags, Is.EqualTo(new[] { "lean", "manufacturing", "quality" }));
    }

    [Test]
    public async Task Accepts_a_kpi_without_optional_fields()
    {
        var body = KpiBody();
        body.Remove("description");
        body.Remove("formula");
        body.Remove("unit");
        body.Remove("ownerTeamId");
        body.Remove("tags");

        var response = await PostJsonAsync(Kpis, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var kpi = await ReadAsync<KpiResponse>(response);
        Assert.That(kpi.Description, Is.Null);
        Assert.That(kpi.OwnerTeamId, Is.Null);
        Assert.That(kpi.Tags, Is.Empty);
    }

    // Decimals are stored as text; these values would come back altered if anything on the way were a double.
    [TestCase("""{ "comparator": "atLeast", "value": 2.5, "warning": -0.25 }""")]
    [TestCase("""{ "comparator": "atMost", "value": -10, "warning": -7.5 }""")]
    [TestCase("""{ "comparator": "between", "low": -3.75, "high": 0.1, "warning": 4.125 }""")]
    [TestCase("""{ "comparator": "equals", "value": 123456789012345.678, "warning": 123456789012345.6 }""")]
    [TestCase("""{ "comparator": "atLeast", "value": 0, "warning": -0.000001 }""")]
    public async Task Keeps_decimal_and_negative_target_values_exactly(string target)
    {
        var body = KpiBody();
        body["valueType"] = "number";
        body["target"] = JsonNode.Parse(target);

        var response = await PostJsonAsync(Kpis, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var read = JsonNode.Parse(await Api.GetStringAsync($"{Kpis}/{created["id"]}"))!;
        foreach (var (name, sent) in JsonNode.Parse(target)!.AsObject())
        {
            Assert.That(created["target"]![name]!.ToJsonString(), Is.EqualTo(sent!.ToJsonString()), name);
            Assert.That(read["target"]![name]!.ToJsonString(), Is.EqualTo(sent.ToJsonString()), name);
        }
    }

    [TestCase("defect rate")]
    [TestCase("defect-rate!")]
    [TestCase("-defect-rate")]
    [TestCase("defect--rate")]
    [TestCase("defect-rate.")]
    [TestCase("défaut")]
    [TestCase("")]
    public async Task Refuses_a_key_that_is_not_a_slug(string key)
    {
        var response = await PostJsonAsync(Kpis, KpiBody(key));

        await AssertOnlyFieldErrorAsync(response, "key");
    }

    [TestCase("defect_rate")]
    [TestCase("plant1.defect-rate")]
    [TestCase("OEE")]
    public async Task Accepts_keys_of_letters_and_digits_joined_by_dash_underscore_or_dot(string key)
    {
        var response = await PostJsonAsync(Kpis, KpiBody(key));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<KpiResponse>(response)).Key, Is.EqualTo(key));
    }

    [Test]
    public async Task Accepts_a_key_of_64_characters_and_refuses_one_of_65()
    {
        var longest = await PostJsonAsync(Kpis, KpiBody(new string('k', 64)));

        var tooLong = await PostJsonAsync(Kpis, KpiBody(new string('x', 65)));

        Assert.That(longest.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await AssertOnlyFieldErrorAsync(tooLong, "key");
    }

    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [TestCase("0f8fad5bd9cb469fa16570867728950e")]
    public async Task Refuses_a_key_that_could_be_mistaken_for_an_id(string key)
    {
        var response = await PostJsonAsync(Kpis, KpiBody(key));

        await AssertOnlyFieldErrorAsync(response, "key");
    }

    [Test]
    public async Task Refuses_a_key_that_exists_in_another_case()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PostJsonAsync(Kpis, KpiBody("Defect-Rate"));

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("Defect-Rate"));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public async Task Requires_a_name(string? name)
    {
        var body = KpiBody();
        body["name"] = name;

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, "name");
    }

    [TestCase("name", 200)]
    [TestCase("description", 2000)]
    [TestCase("formula", 1000)]
    [TestCase("unit", 32)]
    public async Task Accepts_text_at_its_maximum_length(string field, int maximum)
    {
        var body = KpiBody();
        body[field] = new string('a', maximum);

        var response = await PostJsonAsync(Kpis, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [TestCase("name", 201)]
    [TestCase("description", 2001)]
    [TestCase("formula", 1001)]
    [TestCase("unit", 33)]
    public async Task Refuses_text_longer_than_its_maximum(string field, int length)
    {
        var body = KpiBody();
        body[field] = new string('a', length);

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, field);
    }

    [TestCase("valueType")]
    [TestCase("frequency")]
    [TestCase("target")]
    public async Task Requires_value_type_frequency_and_target(string field)
    {
        var body = KpiBody();
        body.Remove(field);

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, field);
    }

    [TestCase("valueType", "integer")]
    [TestCase("frequency", "fortnightly")]
    [TestCase("frequency", "")]
    public async Task Refuses_a_value_that_is_not_one_of_the_names(string field, string value)
    {
        var body = KpiBody();
        body[field] = value;

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, field);
    }

    [TestCase("number", KpiValueType.Number)]
    [TestCase("percentage", KpiValueType.Percentage)]
    [TestCase("currency", KpiValueType.Currency)]
    public async Task Accepts_each_numeric_value_type(string name, KpiValueType expected)
    {
        var body = KpiBody();
        body["valueType"] = name;

        var response = await PostJsonAsync(Kpis, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<KpiResponse>(response)).ValueType, Is.EqualTo(expected));
    }

    [TestCase("hourly", KpiFrequency.Hourly)]
    [TestCase("weekly", KpiFrequency.Weekly)]
    [TestCase("monthly", KpiFrequency.Monthly)]
    [TestCase("quarterly", KpiFrequency.Quarterly)]
    [TestCase("yearly", KpiFrequency.Yearly)]
    public async Task Accepts_each_frequency(string name, KpiFrequency expected)
    {
        var body = KpiBody();
        body["frequency"] = name;

        var response = await PostJsonAsync(Kpis, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<KpiResponse>(response)).Frequency, Is.EqualTo(expected));
    }

    [TestCase("""{ "value": 5 }""", "target.comparator")]
    [TestCase("""{ "comparator": "atLeast" }""", "target.value")]
    [TestCase("""{ "comparator": "atMost", "warning": 3 }""", "target.value")]
    [TestCase("""{ "comparator": "equals" }""", "target.value")]
    [TestCase("""{ "comparator": "atLeast", "value": 5, "low": 1 }""", "target.low")]
    [TestCase("""{ "comparator": "atMost", "value": 5, "high": 9 }""", "target.high")]
    [TestCase("""{ "comparator": "between", "low": 1 }""", "target.high")]
    [TestCase("""{ "comparator": "between", "high": 9 }""", "target.low")]
    [TestCase("""{ "comparator": "between", "low": 1, "high": 9, "value": 5 }""", "target.value")]
    [TestCase("""{ "comparator": "between", "low": 9, "high": 1 }""", "target.low")]
    [TestCase("""{ "comparator": "between", "low": -0.5, "high": -0.6 }""", "target.low")]
    public async Task Refuses_a_target_without_exactly_the_fields_its_comparator_needs(string target, string field)
    {
        var body = KpiBody();
        body["target"] = JsonNode.Parse(target);

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, field);
    }

    [TestCase("""{ "comparator": "atLeast", "value": 100, "warning": 110 }""")]
    [TestCase("""{ "comparator": "atLeast", "value": 100, "warning": 100 }""")]
    [TestCase("""{ "comparator": "atMost", "value": 2, "warning": 1 }""")]
    [TestCase("""{ "comparator": "atMost", "value": 2, "warning": 2 }""")]
    [TestCase("""{ "comparator": "equals", "value": 5, "warning": 5 }""")]
    [TestCase("""{ "comparator": "between", "low": 10, "high": 20, "warning": 15 }""")]
    [TestCase("""{ "comparator": "between", "low": 10, "high": 20, "warning": 10 }""")]
    [TestCase("""{ "comparator": "between", "low": 10, "high": 20, "warning": 20 }""")]
    public async Task Refuses_a_warning_on_the_wrong_side_of_the_target(string target)
    {
        var body = KpiBody();
        body["target"] = JsonNode.Parse(target);

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, "target.warning");
    }

    [TestCase("""{ "comparator": "atLeast", "value": 100, "warning": 90 }""")]
    [TestCase("""{ "comparator": "atMost", "value": 2, "warning": 3 }""")]
    [TestCase("""{ "comparator": "equals", "value": 5, "warning": 4 }""")]
    [TestCase("""{ "comparator": "equals", "value": 5, "warning": 6 }""")]
    [TestCase("""{ "comparator": "between", "low": 10, "high": 20, "warning": 9.99 }""")]
    [TestCase("""{ "comparator": "between", "low": 10, "high": 20, "warning": 25 }""")]
    [TestCase("""{ "comparator": "between", "low": 10, "high": 10 }""")]
    [TestCase("""{ "comparator": "atLeast", "value": 100 }""")]
    public async Task Accepts_a_target_with_its_warning_on_the_correct_side(string target)
    {
        var body = KpiBody();
        body["target"] = JsonNode.Parse(target);

        var response = await PostJsonAsync(Kpis, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(created["target"]!["warning"]?.ToJsonString(), Is.EqualTo(JsonNode.Parse(target)!["warning"]?.ToJsonString()));
    }

    [TestCase(0)]
    [TestCase(1)]
    public async Task Accepts_a_boolean_kpi_that_equals_true_or_false(int value)
    {
        var body = KpiBody();
        body["valueType"] = "boolean";
        body["unit"] = null;
        body["target"] = new JsonObject { ["comparator"] = "equals", ["value"] = value };

        var response = await PostJsonAsync(Kpis, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var kpi = await ReadAsync<KpiResponse>(response);
        Assert.That(kpi.ValueType, Is.EqualTo(KpiValueType.Boolean));
        Assert.That(kpi.Target, Is.EqualTo(new KpiTarget(TargetComparator.EqualTo, value, null, null, null)));
    }

    [TestCase("""{ "comparator": "atLeast", "value": 1 }""", "target.comparator")]
    [TestCase("""{ "comparator": "between", "low": 0, "high": 1 }""", "target.comparator")]
    [TestCase("""{ "comparator": "equals", "value": 2 }""", "target.value")]
    [TestCase("""{ "comparator": "equals", "value": 0.5 }""", "target.value")]
    [TestCase("""{ "comparator": "equals", "value": -1 }""", "target.value")]
    [TestCase("""{ "comparator": "equals", "value": 1, "warning": 0 }""", "target.warning")]
    public async Task Refuses_a_boolean_target_other_than_equals_zero_or_one_without_warning(string target, string field)
    {
        var body = KpiBody();
        body["valueType"] = "boolean";
        body["target"] = JsonNode.Parse(target);

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, field);
    }

    [Test]
    public async Task Accepts_20_tags_and_refuses_21()
    {
        var twenty = KpiBody("twenty");
        twenty["tags"] = new JsonArray(Enumerable.Range(1, 20).Select(i => (JsonNode?)JsonValue.Create($"tag-{i}")).ToArray());
        var twentyOne = KpiBody("twenty-one");
        twentyOne["tags"] = new JsonArray(Enumerable.Range(1, 21).Select(i => (JsonNode?)JsonValue.Create($"tag-{i}")).ToArray());

        var accepted = await PostJsonAsync(Kpis, twenty);
        var refused = await PostJsonAsync(Kpis, twentyOne);

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await accepted.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<KpiResponse>(accepted)).Tags, Has.Count.EqualTo(20));
        await AssertOnlyFieldErrorAsync(refused, "tags");
    }

    [TestCase("bad tag")]
    [TestCase("")]
    [TestCase(" quality")]
    [TestCase("q&a")]
    [TestCase(null)]
    public async Task Names_the_first_tag_when_it_is_not_a_slug(string? tag)
    {
        var body = KpiBody();
        body["tags"] = new JsonArray(tag, "quality");

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, "tags[0]");
    }

    [Test]
    public async Task Names_the_position_of_a_bad_tag_further_down_the_list()
    {
        var body = KpiBody();
        body["tags"] = new JsonArray("quality", "lean", new string('t', 41));

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, "tags[2]");
    }

    [Test]
    public async Task Refuses_an_owner_team_that_does_not_exist()
    {
        var response = await PostJsonAsync(Kpis, KpiBody(ownerTeamId: Guid.NewGuid()));

        await AssertOnlyFieldErrorAsync(response, "ownerTeamId");
        var list = await ReadAsync<JsonObject>(await Api.GetAsync(Kpis));
        Assert.That(list["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Refuses_a_number_sent_as_a_string()
    {
        var body = KpiBody();
        body["target"]!["value"] = "5";

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, "target.value");
    }

    [TestCase("colour")]
    [TestCase("targetValue")]
    public async Task Refuses_an_unknown_property_and_names_it(string unknown)
    {
        var body = KpiBody();
        body[unknown] = "red";

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, unknown);
    }

    [Test]
    public async Task Names_an_unknown_property_inside_the_target_with_its_path()
    {
        var body = KpiBody();
        body["target"]!["threshold"] = 4;

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, "target.threshold");
    }

    [TestCase("valueType")]
    [TestCase("frequency")]
    public async Task Refuses_an_enum_sent_as_an_integer(string field)
    {
        var body = KpiBody();
        body[field] = 1;

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, field);
    }

    [Test]
    public async Task Refuses_a_comparator_sent_as_an_integer()
    {
        var body = KpiBody();
        body["target"]!["comparator"] = 0;

        var response = await PostJsonAsync(Kpis, body);

        await AssertOnlyFieldErrorAsync(response, "target.comparator");
    }

    private static async Task AssertOnlyFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }), problem.ToJsonString());
    }
}
