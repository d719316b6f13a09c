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
}
