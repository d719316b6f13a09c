using System.Text.Json;
using System.Text.Json.Nodes;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>What a subscription's receiver expects: the event itself, or a message for people.</summary>
public enum WebhookFormat
{
    /// <summary>The event's JSON envelope (type, timestamp, data), signed per Standard Webhooks.</summary>
    Standard,

    /// <summary>A Slack incoming-webhook message: the event's sentence and a link back.</summary>
    Slack,

    /// <summary>A Teams workflow webhook message carrying an Adaptive Card with the sentence and a link back.</summary>
    Teams,
}

/// <summary>Turns a stored event envelope into the body a subscription's format asks for.</summary>
internal static class WebhookMessages
{
    public static string Body(WebhookFormat format, string envelope, string? publicBaseUrl)
    {
        if (format == WebhookFormat.Standard) return envelope;
        var root = JsonNode.Parse(envelope)!;
        var data = root["data"];
        var summary = data?["summary"]?.GetValue<string>() ?? root["type"]!.GetValue<string>();
        var link = Link(data, publicBaseUrl);
        return format == WebhookFormat.Slack ? Slack(summary, link) : Teams(summary, link);
    }

    /// <summary>The page of the event's KPI or objective, when the base address is configured.</summary>
    public static string? Link(JsonNode? data, string? publicBaseUrl)
    {
        if (string.IsNullOrWhiteSpace(publicBaseUrl)) return null;
        var root = publicBaseUrl.TrimEnd('/');
        if (data?["kpi"]?["key"]?.GetValue<string>() is { } key) return $"{root}/kpis/{Uri.EscapeDataString(key)}";
        return root + "/";
    }

    // Slack's mrkdwn gives &, < and > meaning; its escaping is exactly these three.
    private static string Slack(string summary, string? link)
    {
        var text = summary.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
        if (link is not null) text += $" <{link}|Open in OkrKpi>";
        return JsonSerializer.Serialize(new { text }, Outbox.Json);
    }

    private static string Teams(string summary, string? link)
    {
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = summary, ["wrap"] = true }),
        };
        if (link is not null)
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in OkrKpi", ["url"] = link });
        var message = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card }),
        };
        return message.ToJsonString();
    }
}
