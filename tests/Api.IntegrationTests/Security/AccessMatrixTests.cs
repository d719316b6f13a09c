using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using OkrKpi.Api.Features.Okrs;
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
/// Every endpoint × every kind of caller (docs/security.md): anonymous → 401; a viewer reads and is refused writes (403);
/// an editor writes what team A owns (KPIs, measurements, OKRs) and is refused team B's (403, or rows rejected in bulk),
/// team administration and cycles; another person's token does not exist (404) to anyone but an admin; an admin does
/// anything; a token does what its scope allows. An allowed call is asserted with the exact status a successful call has.
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
        var world = await GivenWorldAsync(row.NeedsOkrs);
        var signedIn = await ClientAsync(caller, row, world);
        using var client = signedIn.Client;
        world = world with { CallerId = signedIn.UserId };
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
        if (row.Ownership == Ownership.OwningPerson && caller is MatrixCaller.Viewer or MatrixCaller.EditorOfOtherTeam)
            return HttpStatusCode.NotFound;
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

    /// <summary>The caller's client, and who it acts as: the person, or a token's owner (null when anonymous).</summary>
    private static async Task<(HttpClient Client, Guid? UserId)> ClientAsync(MatrixCaller caller, AccessRow row, World world)
    {
        switch (caller)
        {
            case MatrixCaller.Anonymous:
                return (Callers.Client(), null);
            case MatrixCaller.TokenWithScope or MatrixCaller.TokenWithoutScope:
            {
                // The integrator's token belongs to a person of team A who may do what the policy asks.
                var owner = RoleNeeded(row.Policy) == Role.Admin ? Role.Admin : Role.Editor;
                var (with, without) = TokenScopes(row.Policy, owner);
                var user = await Callers.GivenUserAsync(owner, [world.TeamA]);
                return (await Callers.GivenTokenClientAsync(user, caller == MatrixCaller.TokenWithScope ? with : without), user);
            }
            default:
            {
                // The editor of the owning team is the world's own, so rows about one person's things can name theirs.
                var user = caller switch
                {
                    MatrixCaller.Viewer => await Callers.GivenUserAsync(Role.Viewer, [world.TeamA]),
                    MatrixCaller.EditorOfOwningTeam => world.TeamAEditor,
                    MatrixCaller.EditorOfOtherTeam => await Callers.GivenUserAsync(Role.Editor, [world.TeamB]),
                    _ => await Callers.GivenUserAsync(Role.Admin, [world.TeamB]),
                };
                return ((await SessionClients.SignedInAsync(user)).Client, user);
            }
        }
    }

    private static async Task<World> GivenWorldAsync(bool okrs)
    {
        var teamA = await GivenTeamAsync("Team A");
        var teamB = await GivenTeamAsync("Team B");
        var spare = await GivenTeamAsync("Spare team");
        var kpi = await GivenKpiAsync(World.KpiKey, teamA.Id);
        await GivenKpiAsync(World.SpareKpiKey, teamA.Id);
        await GivenMeasurementAsync(kpi.Id, 1.5m, World.MeasuredPeriod);
        var editor = await Callers.GivenUserAsync(Role.Editor, [teamA.Id], email: World.TeamAEditorEmail);
        var world = new World(teamA.Id, teamB.Id, spare.Id, kpi.Id, editor);
        return okrs ? world with { Okrs = await GivenOkrsAsync(world) } : world;
    }

    /// <summary>
    /// Inserted with the handlers' own SQL over one connection: a dozen rows without a dozen requests (the OKR endpoints
    /// have tests of their own). No audit rows, as for the users and tokens <see cref="Callers"/> inserts.
    /// </summary>
    private static async Task<OkrWorld> GivenOkrsAsync(World world)
    {
        var now = ApiFixture.Clock.GetUtcNow();
        await using var connection = await ApiFixture.Database.OpenAsync();

        async Task<Guid> CycleAsync(string name, DateOnly start, DateOnly end, CycleStatus status)
        {
            var id = Guid.CreateVersion7();
            await connection.ExecuteAsync(CreateCycle.Handler.InsertSql, new
            {
                Id = id, Name = name, NameNormalized = CycleRow.Normalize(name), StartDate = start, EndDate = end, Now = now,
            });
            if (status != CycleStatus.Planning)
                await connection.ExecuteAsync("UPDATE Cycle SET Status = @Status WHERE Id = @Id", new { Id = id, Status = status.ToString() });
            return id;
        }

        async Task<Guid> ObjectiveAsync(Guid cycleId, string title)
        {
            var id = Guid.CreateVersion7();
            await connection.ExecuteAsync(CreateObjective.Handler.InsertSql, new
            {
                Id = id, CycleId = cycleId, Title = title, Description = (string?)null, OwnerTeamId = (Guid?)world.TeamA, OwnerUserId = (Guid?)null,
                ParentObjectiveId = (Guid?)null, Status = ObjectiveStatus.Active.ToString(), CarriedFromObjectiveId = (Guid?)null, Now = now,
            });
            return id;
        }

        var active = await CycleAsync("2026-Q3", new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30), CycleStatus.Active);
        var planning = await CycleAsync("2026-Q4", new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31), CycleStatus.Planning);
        var closed = await CycleAsync("2026-Q2", new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30), CycleStatus.Closed);
        var objective = await ObjectiveAsync(active, "Ship with fewer defects");
        var spare = await ObjectiveAsync(active, "Spare objective");
        var closedObjective = await ObjectiveAsync(closed, "Last quarter's objective");
        await connection.ExecuteAsync(ObjectiveRules.InsertKpiSql, new { ObjectiveId = objective, KpiId = world.KpiId });

        var keyResult = Guid.CreateVersion7();
        await connection.ExecuteAsync(CreateKeyResult.Handler.InsertSql, new
        {
            Id = keyResult, ObjectiveId = objective, Title = "Cut escaped defects from 40 to 10", Type = KeyResultType.Number.ToString(), Unit = (string?)null,
            StartValue = 40m, TargetValue = 10m, Direction = KeyResultDirection.Decrease.ToString(), Comparator = "AtMost",
            ChangePercent = (decimal?)null, ChangeBy = (decimal?)null, BaselineSource = (string?)null, StartDate = (DateOnly?)null, DueDate = (DateOnly?)null,
            TimeframeReason = (string?)null, CurrentValue = (decimal?)40m, Weight = 1m,
            OwnerTeamId = (Guid?)world.TeamA, OwnerUserId = (Guid?)null, KpiId = (Guid?)null, Now = now,
        });
        await connection.ExecuteAsync(CreateCheckIn.Handler.UpdateKeyResultSql, new { Id = keyResult, Version = 1L, Value = 35m, Now = now });
        await connection.ExecuteAsync(CreateCheckIn.Handler.InsertSql,
            new
            {
                Id = Guid.CreateVersion7(), KeyResultId = keyResult, Sequence = 2L, Value = 35m, ValueSource = "CheckIn", Confidence = (int?)7,
                Note = "Flaky suite fixed", AuthorId = (Guid?)world.TeamAEditor, Author = World.TeamAEditorEmail, CreatedAt = now,
            });
        var initiative = Guid.CreateVersion7();
        await connection.ExecuteAsync(InitiativeOwner.InsertSql, new
        {
            Id = initiative, KeyResultId = (Guid?)keyResult, ObjectiveId = (Guid?)null, Title = "Contract tests for the billing API", Status = InitiativeStatus.Planned.ToString(),
            ExternalUrl = (string?)null, Now = now,
        });
        return new OkrWorld(active, planning, closed, objective, keyResult, initiative, spare, closedObjective);
    }
}
