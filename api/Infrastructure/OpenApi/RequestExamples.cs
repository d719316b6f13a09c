using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// An example for every request body, taken from the demo organisation (`make run`): its teams, KPIs, people and
/// OKRs. Ids are placeholders of the right shape, since the demo's ids are made when it is seeded. A test checks every
/// example against its schema, and another sends each one to a demo server.
/// </summary>
public sealed class RequestExamples : IOperationFilter
{
    private const string TeamId = "0199a3c2-7b10-7d2e-9a41-5c6b8f0e1a01";
    private const string OtherTeamId = "0199a3c2-7b10-7d2e-9a41-5c6b8f0e1a02";
    private const string CycleId = "0199a3c2-7b10-7d2e-9a41-5c6b8f0e1b01";
    private const string ObjectiveId = "0199a3c2-7b10-7d2e-9a41-5c6b8f0e1c01";
    private const string KeyResultId = "0199a3c2-7b10-7d2e-9a41-5c6b8f0e1d01";
    private const string KpiId = "0199a3c2-7b10-7d2e-9a41-5c6b8f0e1e01";

    public const string MeasurementsCsv = """
        kpi,period,value,note,externalId
        defect-rate,2026-07-13,1.8,,mes-4711
        defect-rate,2026-07-14,2.3,"Line 2 stopped early",mes-4712
        production-rate,2026-07-14T08:00:00Z,104,,

        """;

    public const string MeasurementsNdjson = """
        {"kpi":"defect-rate","period":"2026-07-13","value":1.8,"externalId":"mes-4711"}
        {"kpi":"defect-rate","period":"2026-07-14","value":2.3,"note":"Line 2 stopped early","externalId":"mes-4712"}
        {"kpi":"production-rate","period":"2026-07-14T08:00:00Z","value":104}

        """;

    public const string KpisCsv = """
        key,name,unit,valueType,frequency,comparator,target,warning,tags
        first-pass-yield,First pass yield,%,percentage,weekly,atLeast,95,90,manufacturing;quality
        scrap-cost,Scrap cost,EUR,currency,monthly,atMost,20000,25000,manufacturing

        """;

    public const string KpisNdjson = """
        {"key":"first-pass-yield","name":"First pass yield","unit":"%","valueType":"percentage","frequency":"weekly","target":{"comparator":"atLeast","value":95,"warning":90},"tags":["manufacturing","quality"]}
        {"key":"scrap-cost","name":"Scrap cost","unit":"EUR","valueType":"currency","frequency":"monthly","target":{"comparator":"atMost","value":20000,"warning":25000},"tags":["manufacturing"]}

        """;

    private static readonly Dictionary<string, string> Json = new()
    {
        ["SignIn"] = """{ "email": "editor@demo.okrkpi.example", "password": "okrkpi-demo-password" }""",
        ["CreateWebhook"] = $$"""{ "name": "Quality alerts in Slack", "url": "https://hooks.slack.com/services/T000/B000/XXXX", "format": "slack", "eventTypes": ["kpi.status.changed", "kpi.late"], "teamIds": ["{{TeamId}}"], "statuses": ["offTarget", "late"] }""",
        ["CreateToken"] = """{ "name": "line 3 pusher", "scopes": ["measurements:write", "kpis:read"], "kpiKeys": ["defect-rate"], "expiresInDays": 90 }""",
        ["CreateUser"] = $$"""{ "email": "quality.lead@demo.okrkpi.example", "displayName": "Quality lead", "role": "editor", "password": "a long passphrase of her own", "teamIds": ["{{TeamId}}"] }""",
        ["UpdateUser"] = $$"""{ "displayName": "Quality lead", "role": "editor", "disabled": false, "teamIds": ["{{TeamId}}", "{{OtherTeamId}}"] }""",
        ["CreateReceiver"] = """{ "name": "Deployments from Azure Pipelines", "preset": "azure-devops-pipeline-run-completed", "kpis": ["production-deployments"] }""",
        ["PatchReceiver"] = """{ "enabled": false }""",
        ["ReceiveHook"] = """{ "occurredAt": "2026-07-14T12:00:00Z", "value": 3, "eventId": "incident-7" }""",
        ["TryReceiverPayload"] = """{ "occurredAt": "2026-07-14T12:00:00Z", "value": 3, "eventId": "incident-7" }""",
        ["CreateServiceAccount"] = $$"""{ "name": "Azure DevOps", "role": "editor", "teamIds": ["{{TeamId}}"] }""",
        ["UpdateServiceAccount"] = $$"""{ "name": "Azure DevOps", "role": "editor", "disabled": false, "teamIds": ["{{TeamId}}"] }""",
        ["PatchUser"] = """{ "role": "viewer" }""",
        ["ChangeOwnPassword"] = """{ "currentPassword": "okrkpi-demo-password", "newPassword": "a longer passphrase of my own" }""",
        ["SetUserPassword"] = """{ "password": "a temporary passphrase 2026" }""",
        ["CreateTeam"] = $$"""{ "name": "Quality", "parentTeamId": "{{TeamId}}" }""",
        ["RenameTeam"] = """{ "name": "Sales & Marketing" }""",
        ["MoveTeam"] = $$"""{ "parentTeamId": "{{TeamId}}" }""",
        ["PatchTeam"] = $$"""{ "name": "Platform engineering", "parentTeamId": "{{TeamId}}" }""",
        ["CreateKpi"] = $$"""
            { "key": "first-pass-yield", "name": "First pass yield", "description": "Units that pass inspection the first time.",
              "formula": "units passing first inspection / units inspected × 100", "unit": "%", "valueType": "percentage", "frequency": "weekly",
              "target": { "comparator": "atLeast", "value": 95, "warning": 90 }, "ownerTeamId": "{{TeamId}}", "tags": ["manufacturing", "quality"] }
            """,
        ["UpdateKpi"] = $$"""
            { "key": "defect-rate", "name": "Defect rate", "description": "Share of produced units that fail quality inspection.",
              "formula": "defective units / units produced × 100", "unit": "%", "valueType": "percentage", "frequency": "daily",
              "target": { "comparator": "atMost", "value": 1.5, "warning": 3 }, "ownerTeamId": "{{TeamId}}", "tags": ["manufacturing", "quality"] }
            """,
        ["PatchKpi"] = """{ "target": { "value": 1.5 } }""",
        ["CheckFormula"] = """{ "formula": "round({orders} / {website-visitors} * 100, 2)", "key": "conversion-rate", "frequency": "weekly", "valueType": "percentage" }""",
        ["PushMeasurement"] = """{ "period": "2026-07-14", "value": 1.8, "note": "Line 2 back to normal", "externalId": "mes-4711" }""",
        ["PushKpiMeasurements"] = """
            { "items": [ { "period": "2026-07-13", "value": 1.8 }, { "period": "2026-07-14", "value": 2.3, "note": "Line 2 stopped early" } ] }
            """,
        ["PushMeasurementBatch"] = """
            { "items": [ { "kpi": "defect-rate", "period": "2026-07-14", "value": 1.8 },
                         { "kpi": "production-rate", "period": "2026-07-14T08:00:00Z", "value": 104, "externalId": "mes-4713" },
                         { "kpi": "deployment-frequency", "period": "2026-W29", "value": 8, "source": "api" } ] }
            """,
        ["RecordKpiEvent"] = """{ "occurredAt": "2026-07-14T10:15:00+02:00", "eventId": "pipeline-run-4711" }""",
        ["RecordEventBatch"] = """
            { "items": [ { "kpi": "production-deployments", "occurredAt": "2026-07-14T10:15:00+02:00", "eventId": "pipeline-run-4711" },
                         { "kpi": "production-deployments", "eventId": "pipeline-run-4712" } ] }
            """,
        ["CreateCycle"] = """{ "name": "2026-Q4", "startDate": "2026-10-01", "endDate": "2026-12-31" }""",
        ["UpdateCycle"] = """{ "name": "2026-Q4 (extended)", "startDate": "2026-10-01", "endDate": "2027-01-15" }""",
        ["CreateObjective"] = $$"""
            { "cycleId": "{{CycleId}}", "title": "Improve customer satisfaction", "description": "Customers recommend us to their peers.",
              "ownerTeamId": "{{TeamId}}", "parentObjectiveId": "{{ObjectiveId}}", "kpiIds": ["{{KpiId}}"] }
            """,
        ["UpdateObjective"] = $$"""
            { "title": "Improve customer satisfaction", "description": "Customers recommend us to their peers.", "ownerTeamId": "{{TeamId}}",
              "parentObjectiveId": "{{ObjectiveId}}", "status": "active", "kpiIds": ["{{KpiId}}"] }
            """,
        ["PatchObjective"] = """{ "title": "Delight our customers" }""",
        ["ScoreObjective"] = """{ "score": 0.7, "note": "NPS reached 42 of the 45 we aimed for." }""",
        ["CarryOverObjective"] = $$"""{ "cycleId": "{{CycleId}}", "keyResultIds": ["{{KeyResultId}}"] }""",
        ["CreateKeyResult"] = """{ "title": "Raise NPS from 31 to 45", "type": "number", "startValue": 31, "targetValue": 45, "kpiKey": "nps" }""",
        ["UpdateKeyResult"] = """{ "title": "Raise NPS from 31 to 45", "type": "number", "startValue": 31, "targetValue": 45, "weight": 2, "kpiKey": "nps" }""",
        ["PatchKeyResult"] = """{ "weight": 2 }""",
        ["CreateCheckIn"] = """{ "value": 38, "confidence": 7, "note": "Two detractor accounts came back after the service review." }""",
        ["CreateInitiative"] = """{ "title": "Service review with every detractor account", "status": "inProgress", "externalUrl": "https://jira.example.com/browse/CS-142" }""",
        ["CreateObjectiveInitiative"] = """{ "title": "Customer advisory board", "status": "planned", "externalUrl": "https://jira.example.com/browse/CS-150" }""",
        ["UpdateInitiative"] = """{ "title": "Service review with every detractor account", "status": "done", "externalUrl": "https://jira.example.com/browse/CS-142" }""",
    };

    private static readonly Dictionary<string, Dictionary<string, string>> Files = new()
    {
        ["ImportMeasurements"] = new() { ["text/csv"] = MeasurementsCsv, ["application/x-ndjson"] = MeasurementsNdjson },
        ["ImportKpis"] = new() { ["text/csv"] = KpisCsv, ["application/x-ndjson"] = KpisNdjson },
    };

    /// <summary>The example of each operation's body by operation id and media type, for tests that send them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> All { get; } =
        Json.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["json"] = e.Value })
            .Concat(Files.Select(f => KeyValuePair.Create(f.Key, (IReadOnlyDictionary<string, string>)f.Value)))
            .ToDictionary(e => e.Key, e => e.Value);

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody?.Content is not { } content || operation.OperationId is not { } id) return;
        foreach (var (mediaType, media) in content)
        {
            if (media is not OpenApiMediaType own) continue;
            if (Json.TryGetValue(id, out var json) && mediaType.EndsWith("json", StringComparison.Ordinal) && mediaType != "application/x-ndjson")
                own.Example = JsonNode.Parse(json);
            else if (Files.TryGetValue(id, out var files) && files.TryGetValue(mediaType, out var text))
                own.Example = JsonValue.Create(text);
        }
    }
}
