using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Security;

/// <summary>The callers every endpoint is tried with (issue 5): people by session cookie, integrators by API token.</summary>
public enum MatrixCaller
{
    Anonymous,
    Viewer,
    EditorOfOwningTeam,
    EditorOfOtherTeam,
    Admin,
    TokenWithScope,
    TokenWithoutScope,
}

/// <summary>
/// Every endpoint × every kind of caller (DESIGN §6): anonymous → 401; a viewer reads and is refused writes (403);
/// an editor writes what team A owns and is refused team B's (403, or rows rejected in bulk) and team
/// administration; an admin does anything; a token does what its scope allows. An allowed call is asserted with the
/// exact status a successful call has.
/// </summary>
public sealed class AccessMatrixTests : IntegrationTest
{
    public static IEnumerable<TestCaseData> Cases() =>
        from row in AccessMatrix.Rows
        from caller in Enum.GetValues<MatrixCaller>()
        select new TestCaseData(row.Key, caller);

    [Test]
    public void Every_mapped_endpoint_has_a_row()
    {
        var rows = AccessMatrix.Rows.Select(r => r.Key).ToHashSet();

        Assert.That(MappedEndpoints.All().Select(e => e.Key).Where(key => !rows.Contains(key)), Is.Empty,
            "Add a row to AccessMatrix.Rows for each of these endpoints.");
    }

    [Test]
    public void Every_row_is_a_mapped_endpoint_listed_once()
    {
        var mapped = MappedEndpoints.All().Select(e => e.Key).ToHashSet();

        Assert.That(AccessMatrix.Rows.Select(r => r.Key).Where(key => !mapped.Contains(key)), Is.Empty, "Rows for endpoints that are not mapped.");
        Assert.That(AccessMatrix.Rows.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "Rows listed twice.");
    }

    [Test]
    public void Every_endpoint_states_the_policy_its_row_expects()
    {
        var rows = AccessMatrix.Rows.ToDictionary(r => r.Key, r => r.Policy);

        Assert.Multiple(() =>
        {
            foreach (var endpoint in MappedEndpoints.All().Where(e => rows.ContainsKey(e.Key)))
                Assert.That(endpoint.Stated, Is.EqualTo(rows[endpoint.Key]), endpoint.Key);
        });
    }

    [Test]
    public void No_write_is_allowed_by_a_read_policy()
    {
        string[] reads = [Policies.KpisRead, Policies.OkrsRead, Policies.DirectoryRead];

        Assert.That(AccessMatrix.Rows.Where(r => r.IsWrite && reads.Contains(r.Policy)).Select(r => r.Key), Is.Empty);
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Answers_each_caller_as_its_policy_says(string endpoint, MatrixCaller caller)
    {
        var row = AccessMatrix.Rows.Single(r => r.Key == endpoint);
        var world = await GivenWorldAsync();
        using var client = await ClientAsync(caller, row, world);
        if (row.Arrange is not null) await row.Arrange(world);
        using var request = row.Request(world);

        using var response = await client.SendAsync(request);

        var expected = Expected(row, caller);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), $"{row} as {caller}: {body}");
        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
            Assert.That(JsonNode.Parse(body)!["status"]!.GetValue<int>(), Is.EqualTo((int)expected));
        }
    }

    /// <summary>What the row's policy and ownership rule promise this caller.</summary>
    public static HttpStatusCode Expected(AccessRow row, MatrixCaller caller)
    {
        if (row.Policy == MappedEndpoint.Anonymous) return row.Success;
        if (caller == MatrixCaller.Anonymous) return HttpStatusCode.Unauthorized;
        if (caller is MatrixCaller.TokenWithScope or MatrixCaller.TokenWithoutScope)
            return row.Policy == Policies.Person || (caller == MatrixCaller.TokenWithoutScope && row.Policy != Policies.SignedIn)
                ? HttpStatusCode.Forbidden
                : row.Success;

        var role = caller switch
        {
            MatrixCaller.Viewer => Role.Viewer,
            MatrixCaller.Admin => Role.Admin,
            _ => Role.Editor,
        };
        if (role < RoleNeeded(row.Policy)) return HttpStatusCode.Forbidden;
        if (row.Ownership == Ownership.OwningTeam && caller == MatrixCaller.EditorOfOtherTeam)
            return row.Foreign == ForeignRefusal.Forbidden ? HttpStatusCode.Forbidden : HttpStatusCode.UnprocessableEntity;
        return row.Success;
    }

    private static Role RoleNeeded(string policy) =>
        policy is Policies.SignedIn or Policies.Person or Policies.DirectoryRead ? Role.Viewer : Scopes.RoleNeeded(policy);

    /// <summary>A token "with the scope" holds exactly what the policy asks; "without" holds everything else its owner could have.</summary>
    private static (string[] With, string[] Without) TokenScopes(string policy, Role owner)
    {
        var allowed = Scopes.All.Where(scope => Scopes.RoleNeeded(scope) <= owner).ToArray();
        return policy switch
        {
            Policies.DirectoryRead => ([Scopes.OkrsRead], allowed.Except([Scopes.KpisRead, Scopes.OkrsRead, Scopes.Admin]).ToArray()),
            Policies.SignedIn or Policies.Person => ([Scopes.KpisRead], []),
            _ => ([policy], allowed.Except([policy, Scopes.Admin]).ToArray()),
        };
    }

    private static async Task<HttpClient> ClientAsync(MatrixCaller caller, AccessRow row, World world)
    {
        switch (caller)
        {
            case MatrixCaller.Anonymous:
                return Callers.Client();
            case MatrixCaller.TokenWithScope or MatrixCaller.TokenWithoutScope:
            {
                // The integrator's token belongs to a person of team A who may do what the policy asks.
                var owner = RoleNeeded(row.Policy) == Role.Admin ? Role.Admin : Role.Editor;
                var (with, without) = TokenScopes(row.Policy, owner);
                var user = await Callers.GivenUserAsync(owner, [world.TeamA]);
                return await Callers.GivenTokenClientAsync(user, caller == MatrixCaller.TokenWithScope ? with : without);
            }
            default:
            {
                var (role, team) = caller switch
                {
                    MatrixCaller.Viewer => (Role.Viewer, world.TeamA),
                    MatrixCaller.EditorOfOwningTeam => (Role.Editor, world.TeamA),
                    MatrixCaller.EditorOfOtherTeam => (Role.Editor, world.TeamB),
                    _ => (Role.Admin, world.TeamB),
                };
                var user = await Callers.GivenUserAsync(role, [team]);
                return (await SessionClients.SignedInAsync(user)).Client;
            }
        }
    }

    private static async Task<World> GivenWorldAsync()
    {
        var teamA = await GivenTeamAsync("Team A");
        var teamB = await GivenTeamAsync("Team B");
        var spare = await GivenTeamAsync("Spare team");
        var kpi = await GivenKpiAsync(World.KpiKey, teamA.Id);
        await GivenKpiAsync(World.SpareKpiKey, teamA.Id);
        await GivenMeasurementAsync(kpi.Id, 1.5m, World.MeasuredPeriod);
        return new World(teamA.Id, teamB.Id, spare.Id, kpi.Id);
    }
}
