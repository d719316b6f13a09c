using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>The API serves the built browser client on its own origin: files as they are, index.html for page addresses.</summary>
public sealed class ClientAppTests : IntegrationTest
{
    private const string Index = "<!doctype html><title>OkrKpi</title><script type=\"module\" src=\"/assets/index-Ab12Cd34.js\"></script>";
    private string _dist = null!;
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _browser = null!;

    [OneTimeSetUp]
    public void ServeABuiltClient()
    {
        _dist = Directory.CreateTempSubdirectory("okrkpi-dist-").FullName;
        Directory.CreateDirectory(Path.Combine(_dist, "assets"));
        File.WriteAllText(Path.Combine(_dist, "index.html"), Index);
        File.WriteAllText(Path.Combine(_dist, "assets", "index-Ab12Cd34.js"), "console.log('client');");
        File.WriteAllText(Path.Combine(_dist, "favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        _factory = ApiFixture.Factory.WithWebHostBuilder(host => host.UseSetting("Client:DistPath", _dist));
        _browser = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopIt()
    {
        _browser.Dispose();
        await _factory.DisposeAsync();
        Directory.Delete(_dist, recursive: true);
    }

    // What Chromium sends when a person opens an address.
    private const string Navigation = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    private Task<HttpResponseMessage> NavigateAsync(string path, string accept = Navigation)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return _browser.SendAsync(request);
    }

    [TestCase("/")]
    [TestCase("/kpis")]
    [TestCase("/kpis/defect-rate?range=90")]
    [TestCase("/login?redirect=%2Fkpis")]
    public async Task Answers_a_page_address_with_index_html_revalidated_on_every_visit(string path)
    {
        var response = await NavigateAsync(path, accept: "*/*");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(response.Headers.CacheControl!.NoCache, Is.True);
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(Index));
    }

    [Test]
    public async Task Sends_the_page_with_a_content_security_policy_that_allows_only_its_own_origin()
    {
        var response = await NavigateAsync("/kpis");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.That(policy, Does.Contain("default-src 'self'").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [Test]
    public async Task A_browser_navigation_to_a_key_with_a_dot_is_a_page_not_a_file()
    {
        var response = await NavigateAsync("/kpis/sales.eu");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(Index));
    }

    [Test]
    public async Task Serves_hashed_assets_as_immutable_and_other_files_revalidated()
    {
        var asset = await _browser.GetAsync("/assets/index-Ab12Cd34.js");
        var icon = await _browser.GetAsync("/favicon.svg");

        Assert.That(asset.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(asset.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(asset.Headers.CacheControl!.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));
        Assert.That(icon.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(icon.Headers.CacheControl!.NoCache, Is.True);
    }

    [Test]
    public async Task A_missing_asset_is_never_answered_with_the_page()
    {
        var response = await NavigateAsync("/assets/index-Gone1234.js", accept: "*/*");

        Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("<!doctype html>"));
    }

    [TestCase("/api/v1/no-such-route")]
    [TestCase("/api/v1/kpis")]
    public async Task Leaves_the_api_to_the_api(string path)
    {
        var response = await NavigateAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Leaves_health_and_the_api_description_to_the_api()
    {
        var live = await NavigateAsync("/health/live");
        var swagger = await NavigateAsync("/swagger/v1/swagger.json", accept: "application/json");

        Assert.That(live.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(swagger.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await swagger.Content.ReadAsStringAsync(), Does.StartWith("{"));
    }

    [Test]
    public async Task Answers_only_reads_with_the_page()
    {
        var response = await _browser.PostAsync("/kpis", new StringContent("x", new MediaTypeHeaderValue("text/plain")));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("<!doctype html>"));
    }

    [Test]
    public async Task Without_a_built_client_the_api_serves_no_pages()
    {
        using var anonymous = ApiFixture.Factory.CreateClient();

        var response = await anonymous.GetAsync("/kpis");

        Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
    }
}
