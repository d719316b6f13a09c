namespace OkrKpi.Api.Features.Receivers;

/// <summary>
/// Ready-made definitions for providers' own payloads (docs/integrations.md). A preset names its outputs in order; the
/// receiver gives the KPI of each (the later ones may be left out: a pipeline preset counts deployments, and also feeds
/// a lead-time KPI when a second key is given).
/// </summary>
public static class ReceiverPresets
{
    public const string Generic = "generic-json";

    private const string AdoResolvedStates = "['Closed', 'Resolved', 'Done']";

    public static IReadOnlyDictionary<string, ReceiverDefinition> All { get; } = new Dictionary<string, ReceiverDefinition>
    {
        // Service hook "Work item created": resource.fields holds the values.
        ["azure-devops-work-item-created"] = new("eventType == 'workitem.created'",
            [new("", OccurredAt: "resource.fields.\"System.CreatedDate\"", EventId: "to_string(resource.id)")]),
        // Service hook "Work item updated": resource.fields holds { oldValue, newValue } of what changed, resource.revision the whole item.
        ["azure-devops-work-item-resolved"] = new($"eventType == 'workitem.updated' && contains({AdoResolvedStates}, resource.fields.\"System.State\".newValue)",
            [new("", OccurredAt: "resource.revision.fields.\"System.ChangedDate\"", EventId: "join('/', [to_string(resource.workItemId), to_string(resource.rev)])")]),
        // Service hook "Build completed": deployments counted, lead time from queueTime to finishTime.
        ["azure-devops-build-completed"] = new("eventType == 'build.complete' && (resource.result || resource.status) == 'succeeded'",
            [
                new("", OccurredAt: "resource.finishTime", EventId: "to_string(resource.id)"),
                new("", OccurredAt: "resource.finishTime", EventId: "to_string(resource.id)", DurationFrom: "resource.queueTime", DurationTo: "resource.finishTime"),
            ]),
        // Service hook "Run state changed", counted when a run succeeds. The event type is checked because the stage and
        // job events carry the same resource.run.
        ["azure-devops-pipeline-run-completed"] = new("eventType == 'ms.vss-pipelines.run-state-changed-event' && resource.run.state == 'completed' && resource.run.result == 'succeeded'",
            [
                new("", OccurredAt: "resource.run.finishedDate", EventId: "to_string(resource.run.id)"),
                new("", OccurredAt: "resource.run.finishedDate", EventId: "to_string(resource.run.id)", DurationFrom: "resource.run.createdDate", DurationTo: "resource.run.finishedDate"),
            ]),
        // Jira webhook (issue under "issue") or Jira Automation "Send web request" with the issue data as the body
        // (Automation format: the issue itself; Jira format: under "issue"). A date a custom body's smart value rendered
        // empty ("") is no date: the filter passes over it rather than failing on it.
        ["jira-issue-created"] = new("webhookEvent == 'jira:issue_created' || (webhookEvent == null && (fields.created || issue.fields.created))",
            [new("", OccurredAt: "issue.fields.created || fields.created", EventId: "issue.key || key")]),
        ["jira-issue-resolved"] = new("issue.fields.resolutiondate || fields.resolutiondate",
            [new("", OccurredAt: "issue.fields.resolutiondate || fields.resolutiondate",
                EventId: "join('@', [issue.key || key, issue.fields.resolutiondate || fields.resolutiondate])")]),
        // Any JSON: { occurredAt, value, eventId }, or the receiver's own outputs.
        [Generic] = new(null, [new("", OccurredAt: "occurredAt", Value: "value", EventId: "eventId")]),
    };

    /// <summary>The preset's definition feeding the KPIs in order; null when more KPIs are given than it has outputs.</summary>
    public static ReceiverDefinition? Expand(string preset, IReadOnlyList<string> kpis, string? filter)
    {
        var template = All[preset];
        if (kpis.Count == 0 || kpis.Count > template.Outputs.Count) return null;
        return new(filter ?? template.Filter, kpis.Select((kpi, i) => template.Outputs[i] with { Kpi = kpi }).ToList());
    }
}
