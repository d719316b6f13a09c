using System.Net;
using System.Text.Json.Nodes;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

public sealed class HealthTests : IntegrationTest
{
    [Test]
    public async Task Live_answers_without_touching_the_database()
    {
        var response = await Api.GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("healthy"));
        Assert.That(body["checks"]!.AsObject(), Is.Empty);
    }

    [Test]
    public async Task Live_is_never_answered_from_a_cache()
    {
        var response = await Api.GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.CacheControl!.NoStore, Is.True);
        Assert.That(response.Headers.CacheControl.NoCache, Is.True);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
    }

    [Test]
    public async Task Live_answers_a_caller_without_credentials()
    {
        using var anonymous = Callers.Client();

        var response = await anonymous.GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Ready_checks_the_migrated_database()
    {
        var response = await Api.GetAsync("/health/ready");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(body["checks"]!["database"]!.GetValue<string>(), Is.EqualTo("healthy"));
    }

    [Test]
    public async Task Ready_answers_a_caller_without_credentials()
    {
        using var anonymous = ApiFixture.Factory.CreateClient();

        var response = await anonymous.GetAsync("/health/ready");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
