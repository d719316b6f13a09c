using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.UnitTests.Infrastructure;

public sealed class ProblemFieldNameTests
{
    [TestCase("Name", "name")]
    [TestCase("Target.Warning", "target.warning")]
    [TestCase("Tags[1]", "tags[1]")]
    [TestCase("OwnerTeamId", "ownerTeamId")]
    [TestCase("parentTeamId", "parentTeamId")]
    public void Validation_errors_are_keyed_by_the_json_name_the_client_sent(string property, string field)
    {
        Assert.That(ProblemDetailsExceptionHandler.FieldName(property), Is.EqualTo(field));
    }

    [TestCase("Failed to bind parameter \"int? limit\" from \"ten\".", "limit")]
    [TestCase("Required parameter \"string name\" was not provided from query string.", "name")]
    [TestCase("Implicit body inferred for parameter \"command\" but no body was provided. Did you mean to use a Service instead?", "body")]
    public void Binding_failures_name_the_parameter_without_its_type(string message, string field)
    {
        var described = RequestReadErrors.DescribeBindingFailure(message);

        Assert.That(described?.Key, Is.EqualTo(field));
        Assert.That(described?.Value, Does.Not.Contain("int?").And.Not.Contain("string "));
    }
}
