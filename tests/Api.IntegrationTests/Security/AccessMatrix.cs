using Dapper;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Security;

/// <summary>Whether a write is limited to the teams owning what it changes (docs/security.md).</summary>
public enum Ownership
{
    /// <summary>Reads, team administration (admin only anyway) and one's own session.</summary>
    None,

    /// <summary>
    /// An editor may change what its teams own: the KPI, the KPI a measurement belongs to, the objective or key result
    /// (or the key result a check-in or initiative hangs off).
    /// </summary>
    OwningTeam,

    /// <summary>
    /// The row names something of one person (<see cref="World.TeamAEditor"/>'s API token): that person and an admin
    /// act on it; to anyone else it does not exist (404), so ids reveal nothing.
    /// </summary>
    OwningPerson,
}

/// <summary>How a write by an editor of another team is refused.</summary>
public enum ForeignRefusal
{
    /// <summary>403 problem: the one resource the request names is another team's.</summary>
    Forbidden,

    /// <summary>
    /// A bulk write (batch across KPIs, import) judges each row: another team's row is rejected with its reason like
    /// any invalid row, so an atomic request (the default) answers 422 and stores nothing. Never silently dropped.
    /// </summary>
    RejectedRows,
}

/// <summary>
/// What every access test starts from: teams A (owning), B (another) and a spare one; <see cref="TeamAEditor"/>, an
/// editor of team A who is the "editor of the owning team" caller; KPI "defect-rate" of team A (daily, with a value for
/// 2026-07-14) and KPI "spare-kpi" of team A (never measured, so it can be deleted). Rows marked
/// <see cref="AccessRow.NeedsOkrs"/> also get <see cref="Okrs"/>. <see cref="CallerId"/> is the person the request is
/// made as, or for a token its owner (null when anonymous).
/// </summary>
public sealed record World(Guid TeamA, Guid TeamB, Guid SpareTeam, Guid KpiId, Guid TeamAEditor)
{
    public const string KpiKey = "defect-rate";
    public const string SpareKpiKey = "spare-kpi";
    public const string MeasuredPeriod = "2026-07-14";
    public const string TeamAEditorEmail = "team-a-editor@okrkpi.test";

    /// <summary>The id of <see cref="TeamAEditor"/>'s API token, for rows that arrange one (each test starts from an empty database).</summary>
    public static readonly Guid TeamAEditorsTokenId = Guid.Parse("018f0000-0000-7000-8000-0000000000e1");

    /// <summary>The id of a service account, for rows that arrange one.</summary>
    public static readonly Guid ServiceAccountId = Guid.Parse("018f0000-0000-7000-8000-0000000000e2");

    /// <summary>The id of a generic receiver feeding <see cref="KpiKey"/>, for rows that arrange one.</summary>
    public static readonly Guid ReceiverId = Guid.Parse("018f0000-0000-7000-8000-0000000000e3");

    public OkrWorld? Okrs { get; init; }

    public Guid? CallerId { get; init; }

    public OkrWorld Okr => Okrs ?? throw new InvalidOperationException("This row reads the OKR world: mark it NeedsOkrs.");
}

/// <summary>
/// The OKRs of team A: cycle 2026-Q3 is active (it holds the fake clock's 2026-07-15), 2026-Q4 is in planning and 2026-Q2
/// is closed. In Q3, an objective linked to the KPI with a key result of team A (one check-in, one initiative), and a spare
/// objective without key results (so it can be deleted); in Q2, a closed objective (so it can be scored).
/// </summary>
public sealed record OkrWorld(Guid ActiveCycle, Guid PlanningCycle, Guid ClosedCycle, Guid Objective, Guid KeyResult, Guid Initiative,
    Guid SpareObjective, Guid ClosedObjective);

/// <summary>
/// One row per endpoint (method + route template as mapped): the policy it must state, whether writes need
/// ownership, the status of a successful call, and the request to send against the <see cref="World"/>.
/// Adding an endpoint means adding a row here; <see cref="AccessMatrixTests"/> fails until it has one.
/// </summary>
public sealed record AccessRow(
    string Method,
    string Route,
    string Policy,
    HttpStatusCode Success,
    Func<World, HttpRequestMessage> Request,
    Ownership Ownership = Ownership.None,
    ForeignRefusal Foreign = ForeignRefusal.Forbidden,
    Func<World, Task>? Arrange = null)
{
    /// <summary>Whether the request needs <see cref="World.Okrs"/>: built only for these rows, since every case builds its own world.</summary>
    public bool NeedsOkrs { get; init; }

    public string Key => $"{Method} {Route}";

    /// <summary>A POST that changes nothing (a check whose input is sent as a body), so a read policy may allow it.</summary>
    public bool ChangesNothing { get; init; }

    public bool IsWrite => !ChangesNothing && Method is not ("*" or "GET" or "HEAD" or "OPTIONS");

    public override string ToString() => Key;
}

public static class AccessMatrix
{
    private const string SignInEmail = "signs-in@okrkpi.test";
    private const string SignInPassword = "correct horse battery staple";
    private const string NewPassword = "another horse, another battery";

    public static readonly IReadOnlyList<AccessRow> Rows =
    [
        // (The health probes are answered before authentication, so they are no endpoints; HealthTests shows they need no credentials.)

        // Session: signing in is anonymous (whoever asks); who-am-I and sign-out need any signed-in caller.
        new("POST", "/api/v1/session", MappedEndpoint.Anonymous, HttpStatusCode.OK,
            _ => Json(HttpMethod.Post, "/api/v1/session", new JsonObject { ["email"] = SignInEmail, ["password"] = SignInPassword }),
            Arrange: _ => Callers.GivenUserAsync(Role.Viewer, email: SignInEmail, password: SignInPassword)),
        new("GET", "/api/v1/session", Policies.SignedIn, HttpStatusCode.OK, _ => Get("/api/v1/session")),
        new("DELETE", "/api/v1/session", Policies.SignedIn, HttpStatusCode.NoContent, _ => Send(HttpMethod.Delete, "/api/v1/session")),

        // Teams: everyone signed in reads the org chart; only admins change it.
        new("GET", "/api/v1/teams", Policies.DirectoryRead, HttpStatusCode.OK, _ => Get("/api/v1/teams")),
        new("GET", "/api/v1/teams/{teamId:guid}", Policies.DirectoryRead, HttpStatusCode.OK, w => Get($"/api/v1/teams/{w.TeamA}")),
        new("POST", "/api/v1/teams", Policies.Admin, HttpStatusCode.Created,
            _ => Json(HttpMethod.Post, "/api/v1/teams", new JsonObject { ["name"] = "Logistics" })),
        new("PUT", "/api/v1/teams/{teamId:guid}/name", Policies.Admin, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/teams/{w.SpareTeam}/name", new JsonObject { ["name"] = "Renamed" }, ifMatch: "*")),
        new("PUT", "/api/v1/teams/{teamId:guid}/parent", Policies.Admin, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/teams/{w.SpareTeam}/parent", new JsonObject { ["parentTeamId"] = w.TeamB.ToString() }, ifMatch: "*")),
        new("PATCH", "/api/v1/teams/{teamId:guid}", Policies.Admin, HttpStatusCode.OK,
            w => MergePatch($"/api/v1/teams/{w.SpareTeam}", new JsonObject { ["name"] = "Patched" })),
        new("DELETE", "/api/v1/teams/{teamId:guid}", Policies.Admin, HttpStatusCode.NoContent, w => Send(HttpMethod.Delete, $"/api/v1/teams/{w.SpareTeam}")),

        // KPI definitions: kpis:read to read; kpis:write and membership of the owning team to change.
        new("GET", "/api/v1/kpis", Policies.KpisRead, HttpStatusCode.OK, _ => Get("/api/v1/kpis")),
        new("GET", "/api/v1/kpis/{idOrKey}", Policies.KpisRead, HttpStatusCode.OK, _ => Get($"/api/v1/kpis/{World.KpiKey}")),
        new("POST", "/api/v1/kpis", Policies.KpisWrite, HttpStatusCode.Created,
            w => Json(HttpMethod.Post, "/api/v1/kpis", KpiBody("first-pass-yield", w.TeamA)), Ownership.OwningTeam),
        new("PUT", "/api/v1/kpis/{idOrKey}", Policies.KpisWrite, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/kpis/{World.KpiKey}", KpiBody(World.KpiKey, w.TeamA, name: "Defect ratio"), ifMatch: "*"), Ownership.OwningTeam),
        new("PATCH", "/api/v1/kpis/{idOrKey}", Policies.KpisWrite, HttpStatusCode.OK,
            _ => MergePatch($"/api/v1/kpis/{World.KpiKey}", new JsonObject { ["name"] = "Defect ratio" }), Ownership.OwningTeam),
        new("POST", "/api/v1/kpis/{idOrKey}/retire", Policies.KpisWrite, HttpStatusCode.OK,
            _ => Send(HttpMethod.Post, $"/api/v1/kpis/{World.KpiKey}/retire"), Ownership.OwningTeam),
        new("POST", "/api/v1/kpis/{idOrKey}/reactivate", Policies.KpisWrite, HttpStatusCode.OK,
            _ => Send(HttpMethod.Post, $"/api/v1/kpis/{World.KpiKey}/reactivate"), Ownership.OwningTeam),
        new("DELETE", "/api/v1/kpis/{idOrKey}", Policies.KpisWrite, HttpStatusCode.NoContent,
            _ => Send(HttpMethod.Delete, $"/api/v1/kpis/{World.SpareKpiKey}"), Ownership.OwningTeam),
        new("POST", "/api/v1/kpis/import", Policies.KpisWrite, HttpStatusCode.OK,
            w => Text("/api/v1/kpis/import", "text/csv", $"""
                key,name,unit,valueType,frequency,comparator,target,warning,low,high,tags,ownerTeamId
                {World.KpiKey},Defect rate,%,percentage,daily,atMost,1.5,3,,,quality,{w.TeamA}

                """), Ownership.OwningTeam, ForeignRefusal.RejectedRows),

        // Measurements: kpis:read to read; measurements:write and membership of the team owning the KPI to write.
        new("GET", "/api/v1/kpis/{idOrKey}/measurements", Policies.KpisRead, HttpStatusCode.OK,
            _ => Get($"/api/v1/kpis/{World.KpiKey}/measurements?from=2026-07-01&to=2026-07-14")),
        new("GET", "/api/v1/kpis/{idOrKey}/measurements/{period}", Policies.KpisRead, HttpStatusCode.OK,
            _ => Get($"/api/v1/kpis/{World.KpiKey}/measurements/{World.MeasuredPeriod}")),
        new("GET", "/api/v1/kpis/{idOrKey}/measurements/{period}/revisions", Policies.KpisRead, HttpStatusCode.OK,
            _ => Get($"/api/v1/kpis/{World.KpiKey}/measurements/{World.MeasuredPeriod}/revisions")),
        new("POST", "/api/v1/kpis/formula/check", Policies.KpisRead, HttpStatusCode.OK,
            _ => Json(HttpMethod.Post, "/api/v1/kpis/formula/check", new JsonObject { ["formula"] = $"{{{World.KpiKey}}} * 2" })) { ChangesNothing = true },
        new("GET", "/api/v1/kpis/{idOrKey}/measurements/{period}/explain", Policies.KpisRead, HttpStatusCode.OK,
            _ => Get($"/api/v1/kpis/computed-kpi/measurements/{World.MeasuredPeriod}/explain"),
            Arrange: w => GivenComputedKpiAsync(w.TeamA)),
        new("POST", "/api/v1/kpis/{idOrKey}/measurements", Policies.MeasurementsWrite, HttpStatusCode.Created,
            _ => Json(HttpMethod.Post, $"/api/v1/kpis/{World.KpiKey}/measurements", new JsonObject { ["period"] = "2026-07-13", ["value"] = 2 }),
            Ownership.OwningTeam),
        new("POST", "/api/v1/kpis/{idOrKey}/measurements/batch", Policies.MeasurementsWrite, HttpStatusCode.OK,
            _ => Json(HttpMethod.Post, $"/api/v1/kpis/{World.KpiKey}/measurements/batch",
                new JsonObject { ["items"] = new JsonArray(new JsonObject { ["period"] = "2026-07-13", ["value"] = 2 }) }),
            Ownership.OwningTeam),
        new("DELETE", "/api/v1/kpis/{idOrKey}/measurements/{period}", Policies.MeasurementsWrite, HttpStatusCode.NoContent,
            _ => Send(HttpMethod.Delete, $"/api/v1/kpis/{World.KpiKey}/measurements/{World.MeasuredPeriod}"), Ownership.OwningTeam),
        new("POST", "/api/v1/measurements/batch", Policies.MeasurementsWrite, HttpStatusCode.OK,
            _ => Json(HttpMethod.Post, "/api/v1/measurements/batch",
                new JsonObject { ["items"] = new JsonArray(new JsonObject { ["kpi"] = World.KpiKey, ["period"] = "2026-07-13", ["value"] = 2 }) }),
            Ownership.OwningTeam, ForeignRefusal.RejectedRows),
        new("POST", "/api/v1/measurements/import", Policies.MeasurementsWrite, HttpStatusCode.OK,
            _ => Text("/api/v1/measurements/import", "text/csv", $"kpi,period,value\n{World.KpiKey},2026-07-13,2\n"),
            Ownership.OwningTeam, ForeignRefusal.RejectedRows),
        // Events: as measurements, to KPIs fed by events.
        new("POST", "/api/v1/kpis/{idOrKey}/events", Policies.MeasurementsWrite, HttpStatusCode.Created,
            _ => Json(HttpMethod.Post, "/api/v1/kpis/events-kpi/events", new JsonObject { ["eventId"] = "run-1" }),
            Ownership.OwningTeam, Arrange: w => GivenEventsKpiAsync(w.TeamA)),
        new("POST", "/api/v1/events", Policies.MeasurementsWrite, HttpStatusCode.OK,
            _ => Json(HttpMethod.Post, "/api/v1/events",
                new JsonObject { ["items"] = new JsonArray(new JsonObject { ["kpi"] = "events-kpi", ["eventId"] = "run-1" }) }),
            Ownership.OwningTeam, ForeignRefusal.RejectedRows, Arrange: w => GivenEventsKpiAsync(w.TeamA)),
        new("GET", "/api/v1/kpis/{idOrKey}/events", Policies.KpisRead, HttpStatusCode.OK,
            _ => Get("/api/v1/kpis/events-kpi/events"), Arrange: w => GivenEventsKpiAsync(w.TeamA)),
        new("GET", "/api/v1/measurements/export", Policies.KpisRead, HttpStatusCode.OK, _ => Get("/api/v1/measurements/export?format=csv")),
        new("GET", "/api/v1/dashboard/kpis", Policies.KpisRead, HttpStatusCode.OK, _ => Get("/api/v1/dashboard/kpis")),

        // Webhooks: an admin manages any; an editor (or a kpis:write token) those filtering on their own teams only, and to
        // an editor of another team such a webhook does not exist.
        new("POST", "/api/v1/webhooks", Policies.KpisWrite, HttpStatusCode.Created,
            w => Json(HttpMethod.Post, "/api/v1/webhooks", new JsonObject
            {
                ["name"] = "Quality alerts", ["url"] = WebhookUrl, ["eventTypes"] = new JsonArray("kpi.status.changed"), ["teamIds"] = new JsonArray(w.TeamA.ToString()),
            }), Ownership.OwningTeam),
        new("GET", "/api/v1/webhooks", Policies.KpisWrite, HttpStatusCode.OK, _ => Get("/api/v1/webhooks"), Arrange: GivenWebhookAsync),
        new("GET", "/api/v1/webhooks/{webhookId:guid}", Policies.KpisWrite, HttpStatusCode.OK, _ => Get($"/api/v1/webhooks/{WebhookId}"),
            Ownership.OwningPerson, Arrange: GivenWebhookAsync),
        new("DELETE", "/api/v1/webhooks/{webhookId:guid}", Policies.KpisWrite, HttpStatusCode.NoContent,
            _ => Send(HttpMethod.Delete, $"/api/v1/webhooks/{WebhookId}"), Ownership.OwningPerson, Arrange: GivenWebhookAsync),
        new("POST", "/api/v1/webhooks/{webhookId:guid}/enable", Policies.KpisWrite, HttpStatusCode.OK,
            _ => Send(HttpMethod.Post, $"/api/v1/webhooks/{WebhookId}/enable"), Ownership.OwningPerson, Arrange: GivenWebhookAsync),
        new("POST", "/api/v1/webhooks/{webhookId:guid}/disable", Policies.KpisWrite, HttpStatusCode.OK,
            _ => Send(HttpMethod.Post, $"/api/v1/webhooks/{WebhookId}/disable"), Ownership.OwningPerson, Arrange: GivenWebhookAsync),
        new("POST", "/api/v1/webhooks/{webhookId:guid}/rotate-secret", Policies.KpisWrite, HttpStatusCode.OK,
            _ => Send(HttpMethod.Post, $"/api/v1/webhooks/{WebhookId}/rotate-secret"), Ownership.OwningPerson, Arrange: GivenWebhookAsync),
        new("POST", "/api/v1/webhooks/{webhookId:guid}/test", Policies.KpisWrite, HttpStatusCode.Accepted,
            _ => Send(HttpMethod.Post, $"/api/v1/webhooks/{WebhookId}/test"), Ownership.OwningPerson, Arrange: GivenWebhookAsync),
        new("GET", "/api/v1/webhooks/{webhookId:guid}/deliveries", Policies.KpisWrite, HttpStatusCode.OK,
            _ => Get($"/api/v1/webhooks/{WebhookId}/deliveries"), Ownership.OwningPerson, Arrange: GivenWebhookAsync),
        new("POST", "/api/v1/webhooks/{webhookId:guid}/deliveries/{deliveryId:guid}/replay", Policies.KpisWrite, HttpStatusCode.Accepted,
            _ => Send(HttpMethod.Post, $"/api/v1/webhooks/{WebhookId}/deliveries/{DeliveryId}/replay"), Ownership.OwningPerson, Arrange: GivenWebhookAsync),

        // Alerts and follows: a person's own (tokens are not admitted); anything readable may be followed.
        new("GET", "/api/v1/alerts", Policies.Person, HttpStatusCode.OK, _ => Get("/api/v1/alerts")),
        new("POST", "/api/v1/alerts/read", Policies.Person, HttpStatusCode.NoContent, _ => Send(HttpMethod.Post, "/api/v1/alerts/read")),
        new("POST", "/api/v1/alerts/{alertId:guid}/read", Policies.Person, HttpStatusCode.NoContent, w => Send(HttpMethod.Post, $"/api/v1/alerts/{AlertId}/read"),
            Arrange: GivenAlertAsync),
        new("GET", "/api/v1/follows", Policies.Person, HttpStatusCode.OK, _ => Get("/api/v1/follows")),
        new("PUT", "/api/v1/follows/kpis/{idOrKey}", Policies.Person, HttpStatusCode.OK, _ => Send(HttpMethod.Put, $"/api/v1/follows/kpis/{World.KpiKey}")),
        new("DELETE", "/api/v1/follows/kpis/{idOrKey}", Policies.Person, HttpStatusCode.OK, _ => Send(HttpMethod.Delete, $"/api/v1/follows/kpis/{World.KpiKey}")),
        new("PUT", "/api/v1/follows/objectives/{objectiveId:guid}", Policies.Person, HttpStatusCode.OK,
            w => Send(HttpMethod.Put, $"/api/v1/follows/objectives/{w.Okr.Objective}")) { NeedsOkrs = true },
        new("DELETE", "/api/v1/follows/objectives/{objectiveId:guid}", Policies.Person, HttpStatusCode.OK,
            w => Send(HttpMethod.Delete, $"/api/v1/follows/objectives/{w.Okr.Objective}")) { NeedsOkrs = true },

        // Audit log: admins read it; nothing writes it through the API.
        new("GET", "/api/v1/audit", Policies.Admin, HttpStatusCode.OK, _ => Get("/api/v1/audit?entity=kpi")),

        // People: everyone signed in reads the directory; admins manage it; each person changes their own password.
        new("POST", "/api/v1/users", Policies.Admin, HttpStatusCode.Created,
            _ => Json(HttpMethod.Post, "/api/v1/users", new JsonObject { ["email"] = "new-person@okrkpi.test", ["displayName"] = "New Person", ["role"] = "viewer" })),
        new("GET", "/api/v1/users", Policies.DirectoryRead, HttpStatusCode.OK, _ => Get("/api/v1/users")),
        new("GET", "/api/v1/users/{userId:guid}", Policies.DirectoryRead, HttpStatusCode.OK, w => Get($"/api/v1/users/{w.TeamAEditor}")),
        new("PUT", "/api/v1/users/{userId:guid}", Policies.Admin, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/users/{w.TeamAEditor}", new JsonObject
            {
                ["displayName"] = "Renamed", ["role"] = "editor", ["disabled"] = false, ["teamIds"] = new JsonArray(w.TeamA.ToString()),
            }, ifMatch: "*")),
        new("PATCH", "/api/v1/users/{userId:guid}", Policies.Admin, HttpStatusCode.OK,
            w => MergePatch($"/api/v1/users/{w.TeamAEditor}", new JsonObject { ["displayName"] = "Patched" })),
        new("PUT", "/api/v1/users/{userId:guid}/password", Policies.Admin, HttpStatusCode.NoContent,
            w => Json(HttpMethod.Put, $"/api/v1/users/{w.TeamAEditor}/password", new JsonObject { ["password"] = NewPassword })),
        // Only this row's callers get a password: hashing one is deliberately slow.
        new("PUT", "/api/v1/users/me/password", Policies.Person, HttpStatusCode.NoContent,
            _ => Json(HttpMethod.Put, "/api/v1/users/me/password", new JsonObject { ["currentPassword"] = SignInPassword, ["newPassword"] = NewPassword }),
            Arrange: w => w.CallerId is { } caller ? Callers.GivenPasswordAsync(caller, SignInPassword) : Task.CompletedTask),

        // API tokens: a person (never a token) manages their own; an admin may revoke anyone's.
        new("POST", "/api/v1/tokens", Policies.Person, HttpStatusCode.Created,
            _ => Json(HttpMethod.Post, "/api/v1/tokens", new JsonObject { ["name"] = "CI", ["scopes"] = new JsonArray(Scopes.KpisRead), ["expiresInDays"] = 30 })),
        new("GET", "/api/v1/tokens", Policies.Person, HttpStatusCode.OK, _ => Get("/api/v1/tokens")),
        new("DELETE", "/api/v1/tokens/{tokenId:guid}", Policies.Person, HttpStatusCode.NoContent,
            _ => Send(HttpMethod.Delete, $"/api/v1/tokens/{World.TeamAEditorsTokenId}"), Ownership.OwningPerson,
            Arrange: w => Callers.GivenTokenAsync(w.TeamAEditor, World.TeamAEditorsTokenId, [Scopes.KpisRead])),
        new("GET", "/api/v1/tokens/{tokenId:guid}", Policies.Person, HttpStatusCode.OK,
            _ => Get($"/api/v1/tokens/{World.TeamAEditorsTokenId}"), Ownership.OwningPerson,
            Arrange: w => Callers.GivenTokenAsync(w.TeamAEditor, World.TeamAEditorsTokenId, [Scopes.KpisRead])),
        new("POST", "/api/v1/tokens/{tokenId:guid}/rotate", Policies.Person, HttpStatusCode.OK,
            _ => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tokens/{World.TeamAEditorsTokenId}/rotate") { Headers = { { "If-Match", "*" } } },
            Ownership.OwningPerson, Arrange: w => Callers.GivenTokenAsync(w.TeamAEditor, World.TeamAEditorsTokenId, [Scopes.KpisRead])),

        // Receivers: admins define them and read their logs; a provider delivers with a token that may write values.
        new("POST", "/api/v1/receivers", Policies.Admin, HttpStatusCode.Created,
            _ => Json(HttpMethod.Post, "/api/v1/receivers", new JsonObject { ["name"] = "CI", ["preset"] = "generic-json", ["kpis"] = new JsonArray("events-kpi") }),
            Arrange: w => GivenEventsKpiAsync(w.TeamA)),
        new("GET", "/api/v1/receivers/{receiverId:guid}", Policies.Admin, HttpStatusCode.OK,
            _ => Get($"/api/v1/receivers/{World.ReceiverId}"), Arrange: _ => Callers.GivenReceiverAsync(World.ReceiverId)),
        new("PATCH", "/api/v1/receivers/{receiverId:guid}", Policies.Admin, HttpStatusCode.OK,
            _ => MergePatch($"/api/v1/receivers/{World.ReceiverId}", new JsonObject { ["enabled"] = false }), Arrange: GivenEventsReceiverAsync),
        new("DELETE", "/api/v1/receivers/{receiverId:guid}", Policies.Admin, HttpStatusCode.NoContent,
            _ => Send(HttpMethod.Delete, $"/api/v1/receivers/{World.ReceiverId}"), Arrange: _ => Callers.GivenReceiverAsync(World.ReceiverId)),
        new("GET", "/api/v1/receivers", Policies.Admin, HttpStatusCode.OK, _ => Get("/api/v1/receivers")),
        new("GET", "/api/v1/receivers/{receiverId:guid}/deliveries", Policies.Admin, HttpStatusCode.OK,
            _ => Get($"/api/v1/receivers/{World.ReceiverId}/deliveries"), Arrange: _ => Callers.GivenReceiverAsync(World.ReceiverId)),
        new("POST", "/api/v1/receivers/{receiverId:guid}/try", Policies.Admin, HttpStatusCode.OK,
            _ => Json(HttpMethod.Post, $"/api/v1/receivers/{World.ReceiverId}/try", new JsonObject { ["occurredAt"] = "2026-07-14T12:00:00Z" }),
            Arrange: _ => Callers.GivenReceiverAsync(World.ReceiverId)),
        // A delivery becomes events and is judged as POST /api/v1/events judges them: an editor of another team has its event rejected (422).
        new("POST", "/api/v1/hooks/{receiverId:guid}", Policies.MeasurementsWrite, HttpStatusCode.OK,
            _ => Json(HttpMethod.Post, $"/api/v1/hooks/{World.ReceiverId}", new JsonObject { ["occurredAt"] = "2026-07-14T12:00:00Z" }),
            Ownership.OwningTeam, ForeignRefusal.RejectedRows, Arrange: GivenEventsReceiverAsync),

        // Service accounts: the organisation's, so admins manage them.
        new("POST", "/api/v1/service-accounts", Policies.Admin, HttpStatusCode.Created,
            _ => Json(HttpMethod.Post, "/api/v1/service-accounts", new JsonObject { ["name"] = "CI", ["role"] = "editor" })),
        new("GET", "/api/v1/service-accounts", Policies.Admin, HttpStatusCode.OK, _ => Get("/api/v1/service-accounts")),
        new("PUT", "/api/v1/service-accounts/{serviceAccountId:guid}", Policies.Admin, HttpStatusCode.OK,
            _ => Json(HttpMethod.Put, $"/api/v1/service-accounts/{World.ServiceAccountId}", new JsonObject
            {
                ["name"] = "CI", ["role"] = "viewer", ["disabled"] = false, ["teamIds"] = new JsonArray(),
            }, ifMatch: "*"),
            Arrange: _ => Callers.GivenServiceAccountAsync(World.ServiceAccountId)),

        // Cycles: everyone reads them and their whole-cycle views; a cycle has no owner, so only admins create and move one.
        new("POST", "/api/v1/cycles", Policies.Admin, HttpStatusCode.Created,
            _ => Json(HttpMethod.Post, "/api/v1/cycles", new JsonObject { ["name"] = "2027-Q1", ["startDate"] = "2027-01-01", ["endDate"] = "2027-03-31" })) { NeedsOkrs = true },
        new("GET", "/api/v1/cycles", Policies.OkrsRead, HttpStatusCode.OK, _ => Get("/api/v1/cycles")) { NeedsOkrs = true },
        new("GET", "/api/v1/cycles/next", Policies.OkrsRead, HttpStatusCode.OK, _ => Get("/api/v1/cycles/next")) { NeedsOkrs = true },
        new("GET", "/api/v1/cycles/{cycleId:guid}", Policies.OkrsRead, HttpStatusCode.OK, w => Get($"/api/v1/cycles/{w.Okr.ActiveCycle}")) { NeedsOkrs = true },
        new("GET", "/api/v1/cycles/{cycleId:guid}/alignment", Policies.OkrsRead, HttpStatusCode.OK,
            w => Get($"/api/v1/cycles/{w.Okr.ActiveCycle}/alignment")) { NeedsOkrs = true },
        new("GET", "/api/v1/cycles/matrix", Policies.OkrsRead, HttpStatusCode.OK,
            w => Get("/api/v1/cycles/matrix?from=2026-01-01&to=2026-12-31")) { NeedsOkrs = true },
        new("GET", "/api/v1/cycles/{cycleId:guid}/matrix", Policies.OkrsRead, HttpStatusCode.OK,
            w => Get($"/api/v1/cycles/{w.Okr.ActiveCycle}/matrix")) { NeedsOkrs = true },
        new("GET", "/api/v1/cycles/{cycleId:guid}/evaluation", Policies.OkrsRead, HttpStatusCode.OK,
            w => Get($"/api/v1/cycles/{w.Okr.ClosedCycle}/evaluation")) { NeedsOkrs = true },
        new("GET", "/api/v1/cycles/{cycleId:guid}/health-check", Policies.OkrsRead, HttpStatusCode.OK,
            w => Get($"/api/v1/cycles/{w.Okr.ActiveCycle}/health-check")) { NeedsOkrs = true },
        new("PUT", "/api/v1/cycles/{cycleId:guid}", Policies.Admin, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/cycles/{w.Okr.PlanningCycle}",
                new JsonObject { ["name"] = "2026-Q4 (renamed)", ["startDate"] = "2026-10-01", ["endDate"] = "2026-12-31" }, ifMatch: "*")) { NeedsOkrs = true },
        new("POST", "/api/v1/cycles/{cycleId:guid}/activate", Policies.Admin, HttpStatusCode.OK,
            w => Send(HttpMethod.Post, $"/api/v1/cycles/{w.Okr.PlanningCycle}/activate")) { NeedsOkrs = true },
        new("POST", "/api/v1/cycles/{cycleId:guid}/close", Policies.Admin, HttpStatusCode.OK,
            w => Send(HttpMethod.Post, $"/api/v1/cycles/{w.Okr.ActiveCycle}/close")) { NeedsOkrs = true },
        new("POST", "/api/v1/cycles/{cycleId:guid}/reopen", Policies.Admin, HttpStatusCode.OK,
            w => Send(HttpMethod.Post, $"/api/v1/cycles/{w.Okr.ClosedCycle}/reopen")) { NeedsOkrs = true },

        // Objectives: okrs:read to read; okrs:write and membership of the owning team (or being the owner) to change.
        new("POST", "/api/v1/objectives", Policies.OkrsWrite, HttpStatusCode.Created,
            w => Json(HttpMethod.Post, "/api/v1/objectives", ObjectiveBody(w.Okr.ActiveCycle, w.TeamA)), Ownership.OwningTeam) { NeedsOkrs = true },
        new("GET", "/api/v1/objectives", Policies.OkrsRead, HttpStatusCode.OK, w => Get($"/api/v1/objectives?cycleId={w.Okr.ActiveCycle}")) { NeedsOkrs = true },
        new("GET", "/api/v1/objectives/{objectiveId:guid}", Policies.OkrsRead, HttpStatusCode.OK, w => Get($"/api/v1/objectives/{w.Okr.Objective}")) { NeedsOkrs = true },
        new("PUT", "/api/v1/objectives/{objectiveId:guid}", Policies.OkrsWrite, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/objectives/{w.Okr.Objective}", ObjectiveBody(null, w.TeamA, title: "Ship with fewer defects, sooner"), ifMatch: "*"),
            Ownership.OwningTeam) { NeedsOkrs = true },
        new("PATCH", "/api/v1/objectives/{objectiveId:guid}", Policies.OkrsWrite, HttpStatusCode.OK,
            w => MergePatch($"/api/v1/objectives/{w.Okr.Objective}", new JsonObject { ["title"] = "Ship with fewer defects" }), Ownership.OwningTeam) { NeedsOkrs = true },
        new("DELETE", "/api/v1/objectives/{objectiveId:guid}", Policies.OkrsWrite, HttpStatusCode.NoContent,
            w => Send(HttpMethod.Delete, $"/api/v1/objectives/{w.Okr.SpareObjective}"), Ownership.OwningTeam) { NeedsOkrs = true },
        new("POST", "/api/v1/objectives/{objectiveId:guid}/key-results", Policies.OkrsWrite, HttpStatusCode.Created,
            w => Json(HttpMethod.Post, $"/api/v1/objectives/{w.Okr.Objective}/key-results", KeyResultBody("Cut escaped defects from 40 to 10")),
            Ownership.OwningTeam) { NeedsOkrs = true },
        new("POST", "/api/v1/objectives/{objectiveId:guid}/carry-over", Policies.OkrsWrite, HttpStatusCode.Created,
            w => Json(HttpMethod.Post, $"/api/v1/objectives/{w.Okr.Objective}/carry-over",
                new JsonObject { ["cycleId"] = w.Okr.PlanningCycle.ToString(), ["keyResultIds"] = new JsonArray(w.Okr.KeyResult.ToString()) }),
            Ownership.OwningTeam) { NeedsOkrs = true },
        new("POST", "/api/v1/objectives/{objectiveId:guid}/initiatives", Policies.OkrsWrite, HttpStatusCode.Created,
            w => Json(HttpMethod.Post, $"/api/v1/objectives/{w.Okr.Objective}/initiatives", new JsonObject { ["title"] = "Quality guild" }),
            Ownership.OwningTeam) { NeedsOkrs = true },
        new("GET", "/api/v1/objectives/{objectiveId:guid}/initiatives", Policies.OkrsRead, HttpStatusCode.OK,
            w => Get($"/api/v1/objectives/{w.Okr.Objective}/initiatives")) { NeedsOkrs = true },
        new("PUT", "/api/v1/objectives/{objectiveId:guid}/score", Policies.OkrsWrite, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/objectives/{w.Okr.ClosedObjective}/score",
                new JsonObject { ["score"] = 0.7m, ["note"] = "The last release landed a day after the cycle." }, ifMatch: "*"),
            Ownership.OwningTeam) { NeedsOkrs = true },

        // Key results, their check-ins and initiatives: written by whoever may write the key result's or its objective's owner.
        new("GET", "/api/v1/key-results/{keyResultId:guid}", Policies.OkrsRead, HttpStatusCode.OK, w => Get($"/api/v1/key-results/{w.Okr.KeyResult}")) { NeedsOkrs = true },
        new("PUT", "/api/v1/key-results/{keyResultId:guid}", Policies.OkrsWrite, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/key-results/{w.Okr.KeyResult}", KeyResultBody("Cut escaped defects from 40 to 5", target: 5), ifMatch: "*"),
            Ownership.OwningTeam) { NeedsOkrs = true },
        new("PATCH", "/api/v1/key-results/{keyResultId:guid}", Policies.OkrsWrite, HttpStatusCode.OK,
            w => MergePatch($"/api/v1/key-results/{w.Okr.KeyResult}", new JsonObject { ["weight"] = 2 }), Ownership.OwningTeam) { NeedsOkrs = true },
        new("DELETE", "/api/v1/key-results/{keyResultId:guid}", Policies.OkrsWrite, HttpStatusCode.NoContent,
            w => Send(HttpMethod.Delete, $"/api/v1/key-results/{w.Okr.KeyResult}"), Ownership.OwningTeam) { NeedsOkrs = true },
        new("POST", "/api/v1/key-results/{keyResultId:guid}/check-ins", Policies.OkrsWrite, HttpStatusCode.Created,
            w => Json(HttpMethod.Post, $"/api/v1/key-results/{w.Okr.KeyResult}/check-ins", new JsonObject { ["value"] = 30, ["confidence"] = 6 }),
            Ownership.OwningTeam) { NeedsOkrs = true },
        new("GET", "/api/v1/key-results/{keyResultId:guid}/check-ins", Policies.OkrsRead, HttpStatusCode.OK,
            w => Get($"/api/v1/key-results/{w.Okr.KeyResult}/check-ins")) { NeedsOkrs = true },
        new("POST", "/api/v1/key-results/{keyResultId:guid}/initiatives", Policies.OkrsWrite, HttpStatusCode.Created,
            w => Json(HttpMethod.Post, $"/api/v1/key-results/{w.Okr.KeyResult}/initiatives", new JsonObject { ["title"] = "Mutation testing in CI" }),
            Ownership.OwningTeam) { NeedsOkrs = true },
        new("GET", "/api/v1/key-results/{keyResultId:guid}/initiatives", Policies.OkrsRead, HttpStatusCode.OK,
            w => Get($"/api/v1/key-results/{w.Okr.KeyResult}/initiatives")) { NeedsOkrs = true },
        new("GET", "/api/v1/initiatives/{initiativeId:guid}", Policies.OkrsRead, HttpStatusCode.OK, w => Get($"/api/v1/initiatives/{w.Okr.Initiative}")) { NeedsOkrs = true },
        new("PUT", "/api/v1/initiatives/{initiativeId:guid}", Policies.OkrsWrite, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/initiatives/{w.Okr.Initiative}", new JsonObject { ["title"] = "Mutation testing in CI", ["status"] = "inProgress" }, ifMatch: "*"),
            Ownership.OwningTeam) { NeedsOkrs = true },
        new("DELETE", "/api/v1/initiatives/{initiativeId:guid}", Policies.OkrsWrite, HttpStatusCode.NoContent,
            w => Send(HttpMethod.Delete, $"/api/v1/initiatives/{w.Okr.Initiative}"), Ownership.OwningTeam) { NeedsOkrs = true },
        new("GET", "/api/v1/okrs/mine", Policies.OkrsRead, HttpStatusCode.OK, _ => Get("/api/v1/okrs/mine")) { NeedsOkrs = true },
    ];

    private static readonly Guid AlertId = Guid.Parse("018f0000-0000-7000-8000-0000000000f4");

    /// <summary>An alert for the caller (the person the request is made as), about an event written straight to the database.</summary>
    private static async Task GivenAlertAsync(World world)
    {
        if (world.CallerId is not { } caller) return;
        await using var connection = await ApiFixture.Database.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        await connection.ExecuteAsync("""
            INSERT INTO OutboxEvent (Id, Type, OccurredAt, TeamId, KpiKey, KpiId, ObjectiveId, KeyResultId, Status, DedupKey, Payload, DispatchedAt)
            VALUES (@Id, 'kpi.late', @Now, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{"data":{"summary":"late"}}', @Now)
            """, new { Id = EventId, Now = now });
        await connection.ExecuteAsync("INSERT INTO Alert (Id, UserId, EventId, CreatedAt, ReadAt) VALUES (@Id, @UserId, @EventId, @Now, NULL)",
            new { Id = AlertId, UserId = caller, EventId, Now = now });
    }

    private static readonly Guid WebhookId = Guid.Parse("018f0000-0000-7000-8000-0000000000f1");
    private static readonly Guid DeliveryId = Guid.Parse("018f0000-0000-7000-8000-0000000000f2");
    private static readonly Guid EventId = Guid.Parse("018f0000-0000-7000-8000-0000000000f3");

    // Port 9 (discard) on the allowed loopback: a delivery the worker tries is refused at once, and nothing leaves the machine.
    private const string WebhookUrl = "http://127.0.0.1:9/okrkpi";

    /// <summary>A webhook of team A with one delivered event, written straight to the database with fixed ids.</summary>
    private static async Task GivenWebhookAsync(World world)
    {
        var secrets = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<OkrKpi.Api.Features.Notifications.WebhookSecrets>(
            ApiFixture.Factory.Services);
        await using var connection = await ApiFixture.Database.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        await connection.ExecuteAsync("""
            INSERT INTO WebhookSubscription (Id, Name, Url, Format, EventTypes, TeamIds, KpiKeys, Statuses, Secret, PreviousSecret, PreviousSecretExpiresAt,
                Enabled, DisabledReason, ConsecutiveFailures, CreatedBy, Version, CreatedAt, UpdatedAt)
            VALUES (@Id, 'Quality alerts', @Url, 'Standard', 'kpi.status.changed', @TeamIds, NULL, NULL, @Secret, NULL, NULL, 1, NULL, 0, NULL, 1, @Now, @Now)
            """, new { Id = WebhookId, Url = WebhookUrl, TeamIds = world.TeamA.ToString("D"), Secret = secrets.Protect(OkrKpi.Api.Features.Notifications.WebhookSecrets.New()), Now = now });
        await connection.ExecuteAsync("""
            INSERT INTO OutboxEvent (Id, Type, OccurredAt, TeamId, KpiKey, KpiId, ObjectiveId, KeyResultId, Status, DedupKey, Payload, DispatchedAt)
            VALUES (@Id, 'webhook.test', @Now, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{}', @Now)
            """, new { Id = EventId, Now = now });
        await connection.ExecuteAsync("""
            INSERT INTO WebhookDelivery (Id, SubscriptionId, EventId, Status, Attempts, NextAttemptAt, CreatedAt, DeliveredAt)
            VALUES (@Id, @WebhookId, @EventId, 'delivered', 1, NULL, @Now, @Now)
            """, new { Id = DeliveryId, WebhookId, EventId, Now = now });
    }

    public static JsonObject KpiBody(string key, Guid ownerTeamId, string name = "Defect rate") => new()
    {
        ["key"] = key,
        ["name"] = name,
        ["unit"] = "%",
        ["valueType"] = "percentage",
        ["frequency"] = "daily",
        ["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 2, ["warning"] = 3 },
        ["ownerTeamId"] = ownerTeamId.ToString(),
        ["tags"] = new JsonArray("quality"),
    };

    /// <summary>KPI "events-kpi" of team A, counting its events, as an admin defines it.</summary>
    private static async Task GivenEventsKpiAsync(Guid teamA)
    {
        var body = KpiBody("events-kpi", teamA, "Deployments");
        body["fedBy"] = "events";
        body["aggregation"] = "count";
        body["valueType"] = "number";
        body["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 1 };
        using var response = await ApiFixture.Api.PostAsync("/api/v1/kpis", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    /// <summary>A generic receiver feeding "events-kpi" of team A, as an admin defines it.</summary>
    private static async Task GivenEventsReceiverAsync(World world)
    {
        await GivenEventsKpiAsync(world.TeamA);
        await Callers.GivenReceiverAsync(World.ReceiverId, "events-kpi");
    }

    /// <summary>KPI "computed-kpi" of team A, computed from the spare KPI, as an admin defines it.</summary>
    private static async Task GivenComputedKpiAsync(Guid teamA)
    {
        var body = KpiBody("computed-kpi", teamA, "Computed");
        body["fedBy"] = "formula";
        body["formula"] = $"{{{World.SpareKpiKey}}} * 2";
        using var response = await ApiFixture.Api.PostAsync("/api/v1/kpis", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private static JsonObject ObjectiveBody(Guid? cycleId, Guid ownerTeamId, string title = "Ship with fewer defects")
    {
        var body = new JsonObject { ["title"] = title, ["ownerTeamId"] = ownerTeamId.ToString() };
        if (cycleId is { } cycle) body["cycleId"] = cycle.ToString();
        return body;
    }

    private static JsonObject KeyResultBody(string title, decimal target = 10) =>
        new() { ["title"] = title, ["type"] = "number", ["startValue"] = 40, ["targetValue"] = target };

    private static HttpRequestMessage Get(string url) => Send(HttpMethod.Get, url);

    private static HttpRequestMessage Send(HttpMethod method, string url) => new(method, url);

    private static HttpRequestMessage Json(HttpMethod method, string url, JsonNode body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static HttpRequestMessage MergePatch(string url, JsonNode patch)
    {
        var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = content };
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        return request;
    }

    private static HttpRequestMessage Text(string url, string mediaType, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
    }
}
