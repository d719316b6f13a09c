using System.Net;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>Malformed or sloppy JSON is refused with a 400 that names the problem, never a 500 or a silent default.</summary>
public sealed class StrictJsonTests : IntegrationTest
{
    [Test]
    public async Task Refuses_a_number_sent_as_a_string_and_names_the_field()
    {
        var response = await PostRawAsync("/api/v1/kpis",
            """{"key":"x","name":"n","valueType":"number","frequency":"daily","target":{"comparator":"atLeast","value":"5"}}""");

        var messages = await FieldErrorsAsync(response, "target.value");
        Assert.That(messages[0], Does.Contain("number"));
    }

    [Test]
    public async Task Refuses_an_unknown_property_and_names_it()
    {
        var response = await PostRawAsync("/api/v1/teams", """{"name":"Sales","colour":"red"}""");

        var messages = await FieldErrorsAsync(response, "colour");
        Assert.That(messages[0], Does.Contain("Unknown property"));
    }

    [Test]
    public async Task Refuses_an_unknown_property_inside_a_nested_object()
    {
        var response = await PostRawAsync("/api/v1/kpis",
            """{"key":"x","name":"n","valueType":"number","frequency":"daily","target":{"comparator":"atLeast","value":5,"goal":7}}""");

        await FieldErrorsAsync(response, "target.goal");
    }

    [Test]
    public async Task Refuses_a_duplicate_key()
    {
        var response = await PostRawAsync("/api/v1/teams", """{"name":"Sales","name":"Marketing"}""");

        await FieldErrorsAsync(response, "name");
    }

    [TestCase("""{"name":"Sales"} trailing""")]
    [TestCase("""{"name":"Sales"}{"name":"Again"}""")]
    [TestCase("""{"name":"Sales",}""")]
    [TestCase("{\"name\":\"Sales\" // comment\n}")]
    [TestCase("""{"name":""")]
    public async Task Refuses_malformed_json_as_a_body_error(string json)
    {
        var response = await PostRawAsync("/api/v1/teams", json);

        var messages = await FieldErrorsAsync(response, "body");
        Assert.That(messages[0], Does.StartWith("The body is not valid JSON"));
    }

    [Test]
    public async Task Refuses_an_enum_given_as_its_number()
    {
        var body = KpiBody();
        body["valueType"] = 1;

        var response = await PostJsonAsync("/api/v1/kpis", body);

        var messages = await FieldErrorsAsync(response, "valueType");
        Assert.That(messages[0], Does.Contain("number, percentage, currency, boolean"));
    }

    [Test]
    public async Task Requires_a_body()
    {
        var response = await PostRawAsync("/api/v1/teams", "");

        await FieldErrorsAsync(response, "body");
    }

    [Test]
    public async Task Refuses_a_body_that_is_null_as_a_missing_body()
    {
        var response = await PostRawAsync("/api/v1/teams", "null");

        var messages = await FieldErrorsAsync(response, "body");
        Assert.That(messages[0], Does.Contain("null"));
    }

    [Test]
    public async Task Names_a_query_value_that_is_not_a_number()
    {
        var response = await Api.GetAsync("/api/v1/teams?limit=ten");

        await FieldErrorsAsync(response, "limit");
    }

    [Test]
    public async Task Never_leaks_type_names_or_stack_traces_in_a_refusal()
    {
        var response = await PostRawAsync("/api/v1/kpis",
            """{"key":"x","name":"n","valueType":"hugely","frequency":"daily","target":{"comparator":"atLeast","value":5}}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Not.Contain("OkrKpi.").And.Not.Contain("System.").And.Not.Contain(" at ").And.Not.Contain("Exception"));
    }
}
