using System.Net;
using System.Net.Http.Json;
using Dapper;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Session;

/// <summary>Sessions end when idle for 30 minutes, 12 hours after sign-in however busy, and at once when the person is disabled.</summary>
public sealed class SessionLifetimeTests : IntegrationTest
{

    [Test]
    public async Task A_session_used_within_the_idle_timeout_stays_and_one_idle_for_30_minutes_ends()
    {
        using var browser = new Browser();
        await browser.GivenSessionAsync(await Callers.GivenUserAsync(Role.Viewer));

        ApiFixture.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.That((await browser.Client.GetAsync("/api/v1/session")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        ApiFixture.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.That((await browser.Client.GetAsync("/api/v1/session")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "each request resets the idle time");
        ApiFixture.Clock.Advance(TimeSpan.FromMinutes(30));

        await ProblemAsync(await browser.Client.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_busy_session_ends_12_hours_after_sign_in()
    {
        const string password = "a long enough passphrase";
        await Callers.GivenUserAsync(Role.Viewer, email: "ann@example.com", password: password);
        using var browser = new Browser();
        Assert.That((await browser.SignInAsync("ann@example.com", password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(11.5); elapsed += TimeSpan.FromMinutes(25))
        {
            ApiFixture.Clock.Advance(TimeSpan.FromMinutes(25));
            Assert.That((await browser.Client.GetAsync("/api/v1/session")).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"after {elapsed}");
        }
        ApiFixture.Clock.AdjustTime(PinnedNow.AddHours(12));

        await ProblemAsync(await browser.Client.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Disabling_a_person_ends_all_their_sessions_at_once()
    {
        var person = await Callers.GivenUserAsync(Role.Editor);
        using var laptop = new Browser();
        using var phone = new Browser();
        await laptop.GivenSessionAsync(person);
        await phone.GivenSessionAsync(person);
        var user = await Api.GetFromJsonAsync<UserResponse>($"/api/v1/users/{person}", Json);

        var disable = await PutJsonAsync($"/api/v1/users/{person}", new { displayName = user!.DisplayName, role = "editor", disabled = true, teamIds = Array.Empty<Guid>() }, "\"1\"");

        Assert.That(disable.StatusCode, Is.EqualTo(HttpStatusCode.OK), await disable.Content.ReadAsStringAsync());
        await ProblemAsync(await laptop.Client.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await phone.Client.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized);
        await using var connection = await ApiFixture.Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM UserSession WHERE UserId = @Id", new { Id = person }), Is.Zero);
    }
}
