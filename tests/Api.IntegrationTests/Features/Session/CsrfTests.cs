using System.Net;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Session;

/// <summary>A write authenticated by the session cookie must echo the XSRF-TOKEN cookie in X-XSRF-TOKEN; a bearer request needs nothing.</summary>
public sealed class CsrfTests : IntegrationTest
{
    private static readonly object TokenBody = new { name = "ci", scopes = new[] { "kpis:read" }, expiresInDays = 30 };

    [Test]
    public async Task A_cookie_authenticated_write_without_the_csrf_header_is_refused()
    {
        using var browser = new Browser();
        await browser.GivenSessionAsync(await Callers.GivenUserAsync(Role.Viewer));

        var response = await browser.SendAsync(HttpMethod.Post, "/api/v1/tokens", TokenBody, xsrf: false);

        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("csrf-token-invalid"));
    }

    [Test]
    public async Task A_cookie_authenticated_write_with_a_csrf_header_that_does_not_match_is_refused()
    {
        using var browser = new Browser();
        await browser.GivenSessionAsync(await Callers.GivenUserAsync(Role.Viewer));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = System.Net.Http.Json.JsonContent.Create(TokenBody) };
        request.Headers.Add("X-XSRF-TOKEN", "CfDJ8-forged-token");

        var problem = await ProblemAsync(await browser.Client.SendAsync(request), HttpStatusCode.Forbidden);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("csrf-token-invalid"));
    }

    [TestCase("multipart/form-data; boundary=x")]
    [TestCase("application/x-www-form-urlencoded")]
    public async Task A_cookie_authenticated_write_without_the_csrf_header_and_with_a_form_body_it_cannot_read_is_refused(string contentType)
    {
        using var browser = new Browser();
        await browser.GivenSessionAsync(await Callers.GivenUserAsync(Role.Viewer));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = new StringContent("""{"name":"ci"}""") };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var problem = await ProblemAsync(await browser.Client.SendAsync(request), HttpStatusCode.Forbidden);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("csrf-token-invalid"));
    }

    [Test]
    public async Task A_cookie_authenticated_write_with_the_csrf_header_from_the_cookie_succeeds()
    {
        using var browser = new Browser();
        await browser.GivenSessionAsync(await Callers.GivenUserAsync(Role.Viewer));

        var response = await browser.SendAsync(HttpMethod.Post, "/api/v1/tokens", TokenBody);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Another_persons_csrf_token_is_refused()
    {
        using var ann = new Browser();
        using var bob = new Browser();
        await ann.GivenSessionAsync(await Callers.GivenUserAsync(Role.Viewer));
        await bob.GivenSessionAsync(await Callers.GivenUserAsync(Role.Viewer));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = System.Net.Http.Json.JsonContent.Create(TokenBody) };
        request.Headers.Add("X-XSRF-TOKEN", bob.Cookie("XSRF-TOKEN"));

        await ProblemAsync(await ann.Client.SendAsync(request), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_bearer_authenticated_write_needs_no_csrf_header()
    {
        var response = await PostJsonAsync("/api/v1/teams", new System.Text.Json.Nodes.JsonObject { ["name"] = "Quality" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Reads_by_cookie_need_no_csrf_header()
    {
        using var browser = new Browser();
        await browser.GivenSessionAsync(await Callers.GivenUserAsync(Role.Viewer));

        var response = await browser.SendAsync(HttpMethod.Get, "/api/v1/users", xsrf: false);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
