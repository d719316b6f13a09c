using System.Data.Common;
using Dapper;
using Mediator;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Demo;

/// <summary>
/// The people of the demo organisation, created once through the API's own command: an admin, an editor of the
/// Manufacturing and Engineering teams, and a viewer, all with the documented <see cref="Password"/>. Each start
/// prints how to sign in as those still signing in with it. Only demo mode has a known password.
/// </summary>
public sealed class DemoPeople(ISender sender, DbDataSource db, ILogger<DemoPeople> logger)
{
    public const string Password = "okrkpi-demo-password";

    public static readonly IReadOnlyList<(string Email, string DisplayName, Role Role, string[] Teams)> Accounts =
    [
        ("admin@demo.okrkpi.example", "Demo Admin", Role.Admin, []),
        ("editor@demo.okrkpi.example", "Demo Editor", Role.Editor, ["Manufacturing", "Engineering"]),
        ("viewer@demo.okrkpi.example", "Demo Viewer", Role.Viewer, []),
    ];

    private const string MarkerName = "demo-people-seeded";
    private const string MarkerSql = "SELECT COUNT(*) FROM AppState WHERE Name = @Name";
    private const string SetMarkerSql = "INSERT INTO AppState (Name, Value) VALUES (@Name, @Value)";
    private const string TeamSql = "SELECT Id FROM Team WHERE NameNormalized = @Name";
    private const string FindSql = "SELECT PasswordHash FROM AppUser WHERE EmailNormalized = @EmailNormalized AND Disabled = 0";

    public async Task SeedOnceAndPrintAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(MarkerSql, new { Name = MarkerName }, cancellationToken: ct)) == 0)
        {
            foreach (var (email, displayName, role, teamNames) in Accounts)
            {
                var teams = new List<Guid>();
                foreach (var name in teamNames)
                    teams.AddRange(await connection.QueryAsync<Guid>(new CommandDefinition(TeamSql, new { Name = name.ToUpperInvariant() }, cancellationToken: ct)));
                if (await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT Email FROM AppUser WHERE EmailNormalized = @E",
                        new { E = People.NormalizeEmail(email) }, cancellationToken: ct)) is null)
                    await sender.Send(new CreateUser.Command(email, displayName, role, Password, teams), ct);
            }
            await connection.ExecuteAsync(new CommandDefinition(SetMarkerSql, new { Name = MarkerName, Value = DateTimeOffset.UtcNow.ToString("O") }, cancellationToken: ct));
            logger.LogInformation("Created the demo people: {Emails}", string.Join(", ", Accounts.Select(a => a.Email)));
        }

        // Printed to the console, not logged: the demo password is public, but logs are kept free of every password.
        var usable = new List<(Role Role, string Email)>();
        foreach (var (email, _, role, _) in Accounts)
        {
            var hash = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(FindSql, new { EmailNormalized = People.NormalizeEmail(email) }, cancellationToken: ct));
            if (hash is not null && People.VerifyPassword(hash, Password) != People.Verification.Failed)
                usable.Add((role, email));
        }
        if (usable.Count == 0) return;
        Console.WriteLine($"Demo sign-in (password: {Password}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, usable.Select(u => $"  {u.Role.ToString().ToLowerInvariant(),-7} {u.Email}")));
        logger.LogInformation("Demo people can sign in at POST /api/v1/session with the demo password of the README: {Emails}",
            string.Join(", ", usable.Select(u => u.Email)));
    }
}
