using System.Text.Json;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.UnitTests.Infrastructure;

/// <summary>A body System.Text.Json refuses is described by the exception's type and its JSON path, field by field.</summary>
public sealed class RequestReadErrorsTests
{
    private enum Colour { Red, DarkBlue }

    private sealed record Target(decimal? Value, decimal? Low);

    private sealed record Item(decimal Value, string? Note);

    private sealed record Body(string? Name, Target? Target, IReadOnlyList<string>? Tags, Colour? Colour, DateOnly? Day, Guid? Id,
        IReadOnlyList<Item>? Items, int? Count);

    [TestCase("""{"name":1}""", "name", "The value is not a string.")]
    [TestCase("""{"target":{"value":"5"}}""", "target.value", "The value is not a number (send it unquoted, e.g. 42 or 1.5).")]
    [TestCase("""{"tags":["a",2]}""", "tags[1]", "The value is not a string.")]
    [TestCase("""{"items":[{"value":1},{"value":true}]}""", "items[1].value", "The value is not a number (send it unquoted, e.g. 42 or 1.5).")]
    [TestCase("""{"colour":"green"}""", "colour", "The value is not one of: red, darkBlue.")]
    [TestCase("""{"colour":1}""", "colour", "The value is not one of: red, darkBlue.")]
    [TestCase("""{"day":"2026-13-01"}""", "day", "The value is not a date string (yyyy-MM-dd).")]
    [TestCase("""{"id":"zz"}""", "id", "The value is not a UUID string.")]
    [TestCase("""{"count":1.5}""", "count", "The value is not a number (send it unquoted, e.g. 42 or 1.5).")]
    [TestCase("""{"target":5}""", "target", "The value is not a JSON object.")]
    [TestCase("""{"tags":"a"}""", "tags", "The value is not a JSON array.")]
    [TestCase("""[1]""", "body", "The value is not a JSON object.")]
    public void A_value_of_the_wrong_kind_names_its_field_and_what_it_expects(string json, string field, string reason)
    {
        Assert.That(Describe(json), Is.EqualTo(KeyValuePair.Create(field, reason)));
    }

    [TestCase("""{"name":"a","colour2":"red"}""", "colour2")]
    [TestCase("""{"target":{"value":1,"goal":2}}""", "target.goal")]
    [TestCase("""{"items":[{"value":1,"unit":"x"}]}""", "items[0].unit")]
    public void An_unknown_property_is_named_with_its_path(string json, string field)
    {
        Assert.That(Describe(json), Is.EqualTo(KeyValuePair.Create(field, "Unknown property: this field is not part of the request.")));
    }

    [TestCase("""{"name":"a","name":"b"}""", "name")]
    [TestCase("""{"target":{"value":1,"value":2}}""", "target.value")]
    public void A_scalar_property_given_twice_is_named(string json, string field)
    {
        Assert.That(Describe(json), Is.EqualTo(KeyValuePair.Create(field, "The property appears more than once.")));
    }

    [TestCase("""{"name":"a"} trailing""")]
    [TestCase("""{"name":"a",}""")]
    [TestCase("""{'name':'a'}""")]
    [TestCase("")]
    public void Text_that_is_not_json_is_a_body_error_with_where_it_breaks(string json)
    {
        var (field, reason) = Describe(json);

        Assert.That(field, Is.EqualTo("body"));
        Assert.That(reason, Does.StartWith("The body is not valid JSON: its syntax breaks at line 1, position "));
    }

    [TestCase("$", new object[0])]
    [TestCase("$.target.value", new object[] { "target", "value" })]
    [TestCase("$.tags[12]", new object[] { "tags", 12 })]
    [TestCase("$['odd name'].x", new object[] { "odd name", "x" })]
    public void Json_paths_are_read_segment_by_segment(string path, object[] segments)
    {
        Assert.That(RequestReadErrors.Segments(path), Is.EqualTo(segments));
    }

    private static KeyValuePair<string, string> Describe(string json)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        StrictJson.Configure(options);
        try
        {
            JsonSerializer.Deserialize<Body>(json, options);
        }
        catch (JsonException e)
        {
            return RequestReadErrors.Describe(e, typeof(Body));
        }
        Assert.Fail($"{json} was read without an error");
        return default;
    }
}
