using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>The default JSON body limit (256 KiB) and media types are enforced before a handler runs.</summary>
public sealed class RequestLimitsTests : IntegrationTest
{
    private const int DefaultJsonLimit = 256 * 1024;

    [Test]
    public async Task Refuses_a_json_body_over_the_default_limit_with_413()
    {
        var json = $$"""{"name":"{{new string('x', DefaultJsonLimit)}}"}""";

        var response = await PostRawAsync("/api/v1/teams", json);

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("payload-too-large"));
    }

    [Test]
    public async Task Accepts_a_body_just_under_the_limit_and_then_validates_it()
    {
        var json = $$"""{"name":"{{new string('x', DefaultJsonLimit - 100)}}"}""";

        var response = await PostRawAsync("/api/v1/teams", json);

        await FieldErrorsAsync(response, "name");
    }

    [Test]
    public async Task Refuses_a_body_that_is_not_json_with_415()
    {
        var response = await Api.PostAsync("/api/v1/teams", new StringContent("name=Sales", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task Answers_an_unknown_route_with_a_404_problem()
    {
        var response = await Api.GetAsync("/api/v1/nothing-here");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Answers_a_wrong_method_with_a_405_problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/teams") { Content = new StringContent("{}") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await Api.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }
}
