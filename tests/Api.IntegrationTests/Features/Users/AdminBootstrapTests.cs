using Dapper;
using OkrKpi.Api.Infrastructure.Demo;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Users;

/// <summary>
/// OKRKPI_ADMIN_EMAIL and OKRKPI_ADMIN_PASSWORD make start-up ensure that admin (the way in, and back in); demo mode
/// adds demo people with the documented password; nothing else creates a password.
/// </summary>
public sealed class AdminBootstrapTests : IntegrationTest
{
    private const string Email = "ops@example.com";
    private const string Password = "a recovery passphrase";

    private sealed class Row
    {
        public string Role { get; init; } = "";
        public bool Disabled { get; init; }
        public string? PasswordHash { get; init; }
    }

    private static async Task<Row?> FindAsync(string email)
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT Role, Disabled, PasswordHash FROM AppUser WHERE EmailNormalized = @E", new { E = People.NormalizeEmail(email) });
    }

    [Test]
    public async Task Start_up_creates_the_configured_admin()
    {
        await using var _ = OtherInstances.Start(("OKRKPI_ADMIN_EMAIL", Email), ("OKRKPI_ADMIN_PASSWORD", Password));

        var admin = await FindAsync(Email);
        Assert.That(admin, Is.Not.Null);
        Assert.That(admin!.Role, Is.EqualTo("Admin"));
        Assert.That(admin.Disabled, Is.False);
        Assert.That(People.VerifyPassword(admin.PasswordHash, Password), Is.EqualTo(People.Verification.Succeeded));
        Assert.That(CapturedLogs.Lines, Has.Some.Contains($"Created the admin {Email}"));
        Assert.That(CapturedLogs.Lines, Has.None.Contains(Password));
    }

    [Test]
    public async Task Start_up_restores_a_demoted_disabled_admin_with_another_password_and_ends_their_sessions()
    {
        var id = await Callers.GivenUserAsync(Role.Viewer, email: Email, password: "somebody else's passphrase");
        using var browser = new Browser();
        await browser.GivenSessionAsync(id);
        await using (var connection = await ApiFixture.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE AppUser SET Disabled = 1 WHERE Id = @Id", new { Id = id });

        await using var _ = OtherInstances.Start(("OKRKPI_ADMIN_EMAIL", Email.ToUpperInvariant()), ("OKRKPI_ADMIN_PASSWORD", Password));

        var admin = await FindAsync(Email);
        Assert.That(admin!.Role, Is.EqualTo("Admin"));
        Assert.That(admin.Disabled, Is.False);
        Assert.That(People.VerifyPassword(admin.PasswordHash, Password), Is.EqualTo(People.Verification.Succeeded));
        await using var check = await ApiFixture.Database.OpenAsync();
        Assert.That(await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM UserSession WHERE UserId = @Id", new { Id = id }), Is.Zero);
        Assert.That(await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AppUser"), Is.EqualTo(2), "the seeded admin and this one");
        Assert.That(CapturedLogs.Lines, Has.None.Contains(Password));
    }

    [Test]
    public async Task Without_the_settings_start_up_creates_nobody_and_no_password()
    {
        await using var _ = OtherInstances.Start();

        await using var connection = await ApiFixture.Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AppUser"), Is.EqualTo(1), "only the seeded admin");
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AppUser WHERE PasswordHash IS NOT NULL"), Is.Zero);
    }

    [Test]
    public void A_half_configured_admin_stops_start_up() =>
        Assert.That(() => OtherInstances.Start(("OKRKPI_ADMIN_EMAIL", Email)), Throws.InvalidOperationException.With.Message.Contains("OKRKPI_ADMIN_PASSWORD"));

    [Test]
    public async Task Demo_mode_creates_an_admin_an_editor_of_demo_teams_and_a_viewer_with_the_demo_password()
    {
        await using var _ = OtherInstances.Start(("Demo:Enabled", "true"), ("OKRKPI_ADMIN_EMAIL", Email), ("OKRKPI_ADMIN_PASSWORD", Password));

        foreach (var (email, _, role, teams) in DemoPeople.Accounts)
        {
            var person = await FindAsync(email);
            Assert.That(person?.Role, Is.EqualTo(role.ToString()), email);
            Assert.That(People.VerifyPassword(person!.PasswordHash, DemoPeople.Password), Is.EqualTo(People.Verification.Succeeded));
        }
        Assert.That(DemoPeople.Accounts.Select(a => a.Role), Is.EquivalentTo(new[] { Role.Admin, Role.Editor, Role.Viewer }));
        await using var connection = await ApiFixture.Database.OpenAsync();
        var editorTeams = await connection.QueryAsync<string>("""
            SELECT t.Name FROM TeamMember m JOIN Team t ON t.Id = m.TeamId JOIN AppUser u ON u.Id = m.UserId
            WHERE u.Role = 'Editor' ORDER BY t.Name
            """);
        Assert.That(editorTeams, Is.EqualTo(new[] { "Engineering", "Manufacturing" }));
        Assert.That((await FindAsync(Email))?.Role, Is.EqualTo("Admin"), "the configured admin is ensured in demo mode too");
        Assert.That(CapturedLogs.Lines, Has.None.Contains(DemoPeople.Password), "the demo password goes to the console, not the logs");
    }
}
