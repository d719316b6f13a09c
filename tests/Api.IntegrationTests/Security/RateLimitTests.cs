using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Security;

/// <summary>
/// The rate limits (issue 5) with small allowances, on an API of their own over the shared test database. The
/// limiters keep their counts for a minute of real time, so each test uses client addresses, accounts and tokens
/// of its own; a test-only header stands in for the client address a real connection has.
/// </summary>
public sealed class RateLimitTests : IntegrationTest
{
    private const string AddressHeader = "X-Test-Client-Address";
    private const string Password = "correct horse battery staple";

    private WebApplicationFactory<Program> _factory = null!;

    [OneTimeSetUp]
    public void StartLimitedApi() => _factory = ApiFixture.Factory.WithWebHostBuilder(host => host
        .UseSetting("RateLimits:SignInPerAccountPerMinute", "3")
        .UseSetting("RateLimits:SignInPerAddressPerMinute", "6")
        .UseSetting("RateLimits:FailedTokenAuthenticationsPerAddressPerMinute", "3")
        .UseSetting("RateLimits:WritesPerTokenPerMinute", "3")
        .ConfigureTestServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>()));

    [OneTimeTearDown]
    public void StopLimitedApi() => _factory.Dispose();

    [Test]
    public async Task Sign_in_attempts_for_one_account_are_limited_whatever_the_password_and_other_accounts_are_unaffected()
    {
        using var client = Client("10.0.1.1");
        await Callers.GivenUserAsync(Role.Viewer, email: "limited@okrkpi.test", password: Password);
        await Callers.GivenUserAsync(Role.Viewer, email: "other@okrkpi.test", password: Password);

        for (var attempt = 0; attempt < 3; attempt++)
            Assert.That((await SignInAsync(client, "limited@okrkpi.test", "wrong password!")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var limited = await SignInAsync(client, "LIMITED@okrkpi.test", Password);
        var other = await SignInAsync(client, "other@okrkpi.test", Password);

        await TooManyAsync(limited);
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), await other.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Sign_in_attempts_from_one_address_are_limited_and_other_addresses_are_unaffected()
    {
        using var busy = Client("10.0.2.1");
        using var elsewhere = Client("10.0.2.2");
        await Callers.GivenUserAsync(Role.Viewer, email: "someone@okrkpi.test", password: Password);

        for (var attempt = 0; attempt < 6; attempt++)
            Assert.That((await SignInAsync(busy, $"guess-{attempt}@okrkpi.test", Password)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var limited = await SignInAsync(busy, "someone@okrkpi.test", Password);
        var other = await SignInAsync(elsewhere, "someone@okrkpi.test", Password);

        await TooManyAsync(limited);
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), await other.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Failed_token_authentications_from_one_address_are_limited_while_a_valid_token_from_there_still_works()
    {
        var (badToken, _, _) = ApiTokens.New();
        using var guessing = Client("10.0.3.1", badToken);
        using var valid = Client("10.0.3.1", await TokenAsync(Role.Editor));
        using var guessingElsewhere = Client("10.0.3.2", badToken);

        for (var attempt = 0; attempt < 3; attempt++)
            Assert.That((await guessing.GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var limited = await guessing.GetAsync("/api/v1/kpis");
        var validAnswer = await valid.GetAsync("/api/v1/kpis");
        var elsewhere = await guessingElsewhere.GetAsync("/api/v1/kpis");

        await TooManyAsync(limited);
        Assert.That(validAnswer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Writes_by_one_token_are_limited_while_its_reads_and_other_tokens_are_unaffected()
    {
        using var busy = Client("10.0.4.1", await TokenAsync(Role.Admin));
        using var other = Client("10.0.4.1", await TokenAsync(Role.Admin));

        for (var write = 0; write < 3; write++)
            Assert.That((await busy.PostAsJsonAsync("/api/v1/teams", new { name = $"Team {write}" })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var limited = await busy.PostAsJsonAsync("/api/v1/teams", new { name = "One too many" });
        var read = await busy.GetAsync("/api/v1/teams");
        var otherWrite = await other.PostAsJsonAsync("/api/v1/teams", new { name = "Another token's team" });

        await TooManyAsync(limited);
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(otherWrite.StatusCode, Is.EqualTo(HttpStatusCode.Created), await otherWrite.Content.ReadAsStringAsync());
        var teams = await (await busy.GetAsync("/api/v1/teams")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(teams!["items"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()), Does.Not.Contain("One too many"));
    }

    [Test]
    public async Task Each_write_by_a_token_says_how_many_writes_are_left_and_the_refusal_says_when_the_window_resets()
    {
        using var token = Client("10.0.5.1", await TokenAsync(Role.Admin));

        var left = new List<string>();
        for (var write = 0; write < 3; write++)
        {
            var created = await token.PostAsJsonAsync("/api/v1/teams", new { name = $"Paced team {write}" });
            Assert.That(Field(created, "RateLimit-Policy"), Is.EqualTo("\"writes\";q=3;w=60"));
            left.Add(Field(created, "RateLimit")!);
        }
        var limited = await token.PostAsJsonAsync("/api/v1/teams", new { name = "Paced one too many" });

        Assert.That(left, Is.EqualTo(new[] { "\"writes\";r=2", "\"writes\";r=1", "\"writes\";r=0" }));
        await TooManyAsync(limited);
        Assert.That(Field(limited, "RateLimit"), Is.EqualTo($"\"writes\";r=0;t={(int)limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds}"));
    }

    [Test]
    public async Task Reads_and_a_persons_writes_carry_no_rate_limit_fields_because_no_quota_counts_them()
    {
        using var token = Client("10.0.6.1", await TokenAsync(Role.Admin));
        var person = await Callers.GivenUserAsync(Role.Admin);
        using var browser = (await SessionClients.SignedInAsync(person)).Client;

        var read = await token.GetAsync("/api/v1/teams");
        var personWrite = await browser.PostAsJsonAsync("/api/v1/teams", new { name = "A person's team" });

        Assert.That(personWrite.StatusCode, Is.EqualTo(HttpStatusCode.Created), await personWrite.Content.ReadAsStringAsync());
        Assert.That(Field(read, "RateLimit"), Is.Null);
        Assert.That(Field(personWrite, "RateLimit"), Is.Null);
    }

    private static string? Field(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    private static async Task TooManyAsync(HttpResponseMessage response)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("too-many-requests"));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/v1/session", new { email, password });

    /// <summary>A token of a new person of the role holding every scope the role allows.</summary>
    private static async Task<string> TokenAsync(Role role)
    {
        var user = await Callers.GivenUserAsync(role);
        using var shared = await Callers.GivenTokenClientAsync(user, Scopes.All.Where(scope => Scopes.RoleNeeded(scope) <= role));
        return shared.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    private HttpClient Client(string address, string? bearer = null)
    {
        var client = Callers.ClientOf(_factory);
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    /// <summary>The test server has no remote address; this gives each request the one its client claims.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (IPAddress.TryParse(http.Request.Headers[AddressHeader].ToString(), out var address))
                    http.Connection.RemoteIpAddress = address;
                return nextMiddleware(http);
            });
            next(app);
        };
    }
}
