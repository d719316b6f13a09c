using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Security;

/// <summary>Whether a write is limited to the teams owning what it changes (DESIGN §6).</summary>
public enum Ownership
{
    /// <summary>Reads, team administration (admin only anyway) and one's own session.</summary>
    None,

    /// <summary>An editor may change what its teams own: the KPI, or the KPI a measurement belongs to.</summary>
    OwningTeam,
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
/// What every access test starts from: teams A (owning), B (another) and a spare one, KPI "defect-rate" of team A
/// (daily, with a value for 2026-07-14) and KPI "spare-kpi" of team A (never measured, so it can be deleted).
/// </summary>
public sealed record World(Guid TeamA, Guid TeamB, Guid SpareTeam, Guid KpiId)
{
    public const string KpiKey = "defect-rate";
    public const string SpareKpiKey = "spare-kpi";
    public const string MeasuredPeriod = "2026-07-14";
}

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
    public string Key => $"{Method} {Route}";

    public bool IsWrite => Method is not ("*" or "GET" or "HEAD" or "OPTIONS");

    public override string ToString() => Key;
}

public static class AccessMatrix
{
    private const string SignInEmail = "signs-in@okrkpi.test";
    private const string SignInPassword = "correct horse battery staple";

    public static readonly IReadOnlyList<AccessRow> Rows =
    [
        // Health: probes and balancers ask without credentials. MapHealthChecks answers any method ("*"); the row asks with GET.
        new("*", "/health/live", MappedEndpoint.Anonymous, HttpStatusCode.OK, _ => Get("/health/live")),
        new("*", "/health/ready", MappedEndpoint.Anonymous, HttpStatusCode.OK, _ => Get("/health/ready")),

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
        new("DELETE", "/api/v1/teams/{teamId:guid}", Policies.Admin, HttpStatusCode.NoContent, w => Send(HttpMethod.Delete, $"/api/v1/teams/{w.SpareTeam}")),

        // KPI definitions: kpis:read to read; kpis:write and membership of the owning team to change.
        new("GET", "/api/v1/kpis", Policies.KpisRead, HttpStatusCode.OK, _ => Get("/api/v1/kpis")),
        new("GET", "/api/v1/kpis/{idOrKey}", Policies.KpisRead, HttpStatusCode.OK, _ => Get($"/api/v1/kpis/{World.KpiKey}")),
        new("POST", "/api/v1/kpis", Policies.KpisWrite, HttpStatusCode.Created,
            w => Json(HttpMethod.Post, "/api/v1/kpis", KpiBody("first-pass-yield", w.TeamA)), Ownership.OwningTeam),
        new("PUT", "/api/v1/kpis/{idOrKey}", Policies.KpisWrite, HttpStatusCode.OK,
            w => Json(HttpMethod.Put, $"/api/v1/kpis/{World.KpiKey}", KpiBody(World.KpiKey, w.TeamA, name: "Defect ratio"), ifMatch: "*"), Ownership.OwningTeam),
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
        new("GET", "/api/v1/measurements/export", Policies.KpisRead, HttpStatusCode.OK, _ => Get("/api/v1/measurements/export?format=csv")),
        new("GET", "/api/v1/dashboard/kpis", Policies.KpisRead, HttpStatusCode.OK, _ => Get("/api/v1/dashboard/kpis")),

        // Audit log: admins read it; nothing writes it through the API.
        new("GET", "/api/v1/audit", Policies.Admin, HttpStatusCode.OK, _ => Get("/api/v1/audit?entity=kpi")),
    ];

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

    private static HttpRequestMessage Get(string url) => Send(HttpMethod.Get, url);

    private static HttpRequestMessage Send(HttpMethod method, string url) => new(method, url);

    private static HttpRequestMessage Json(HttpMethod method, string url, JsonNode body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static HttpRequestMessage Text(string url, string mediaType, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
    }
}
