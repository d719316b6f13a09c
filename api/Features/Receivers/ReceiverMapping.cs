using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DevLab.JmesPath;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>
/// One event a receiver makes of a payload: the KPI it feeds and JMESPath expressions for when it happened, its value
/// (none: the event is counted; or the hours between <c>durationFrom</c> and <c>durationTo</c>, for lead times), its id
/// (a redelivery with the same id is recorded once) and an optional filter of its own.
/// </summary>
public sealed record ReceiverOutput(string Kpi, string? Filter = null, string? OccurredAt = null, string? Value = null, string? EventId = null,
    string? DurationFrom = null, string? DurationTo = null);

/// <summary>What a receiver does with a payload: a filter (a falsy result ignores the delivery) and the events it makes.</summary>
public sealed record ReceiverDefinition(string? Filter, IReadOnlyList<ReceiverOutput> Outputs);

/// <summary>An event read from a payload, as it is handed to the events write path.</summary>
public sealed record MappedEvent(string Kpi, string? OccurredAt, decimal? Value, string? EventId);

/// <summary>What a payload comes to: events, nothing (filtered out, with the reason), or the path that could not be read.</summary>
public sealed record MappingResult(IReadOnlyList<MappedEvent> Events, string? Ignored, string? FailedPath, string? Failure)
{
    public bool Failed => FailedPath is not null;
}

/// <summary>Reads providers' payloads with JMESPath (JmesPath.Net). Pure: no database, so "try a payload" and a delivery share it.</summary>
public static partial class ReceiverMapping
{
    private static readonly JmesPath Engine = new();

    /// <summary>The reason an expression does not parse, or null.</summary>
    public static string? SyntaxError(string expression)
    {
        try
        {
            Engine.Parse(expression);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"'{expression}' is not a JMESPath expression: {e.Message}";
        }
    }

    public static MappingResult Apply(ReceiverDefinition definition, string payload)
    {
        if (definition.Filter is { } filter && !Truthy(Evaluate(payload, filter)))
            return new([], $"The payload does not match the filter {filter}.", null, null);

        var events = new List<MappedEvent>();
        foreach (var output in definition.Outputs)
        {
            if (output.Filter is { } own && !Truthy(Evaluate(payload, own))) continue;
            string? occurredAt = null;
            if (output.OccurredAt is { } when)
            {
                var node = Evaluate(payload, when);
                occurredAt = Instant(node);
                if (occurredAt is null) return Fail(when, "gave no date and time (expected a string like 2026-07-14T10:00:00Z or epoch milliseconds)");
            }
            decimal? value = null;
            if (output.DurationFrom is { } from && output.DurationTo is { } to)
            {
                if (!TryInstant(Evaluate(payload, from), out var start)) return Fail(from, "gave no date and time");
                if (!TryInstant(Evaluate(payload, to), out var end)) return Fail(to, "gave no date and time");
                value = Math.Round((decimal)(end - start).TotalHours, 4);
            }
            else if (output.Value is { } valuePath)
            {
                value = Number(Evaluate(payload, valuePath));
                if (value is null) return Fail(valuePath, "gave no number");
            }
            string? eventId = null;
            if (output.EventId is { } idPath)
            {
                eventId = Evaluate(payload, idPath) switch
                {
                    JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0 => s,
                    JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
                    _ => null,
                };
                if (eventId is null) return Fail(idPath, "gave no event id (expected a string or a number)");
            }
            events.Add(new MappedEvent(output.Kpi, occurredAt, value, eventId));
        }
        return new(events, events.Count == 0 ? "No output's filter matched the payload." : null, null, null);
    }

    private static MappingResult Fail(string path, string reason) => new([], null, path, $"The expression {path} {reason}.");

    private static JsonNode? Evaluate(string payload, string expression) => JsonNode.Parse(Engine.Transform(payload, expression));

    private static bool Truthy(JsonNode? node) => node switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        _ => true,
    };

    private static decimal? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<decimal>(),
        // Providers quote numbers freely (Jira's smart values): a string that is a plain number is read as one.
        JsonValue v when v.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>An instant as the events path reads it: ISO 8601 text (Jira's "+0200" offsets get their colon) or epoch milliseconds.</summary>
    private static string? Instant(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number =>
            DateTimeOffset.FromUnixTimeMilliseconds(v.GetValue<long>()).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0 => CompactOffset().Replace(s, "$1:$2"),
        _ => null,
    };

    private static bool TryInstant(JsonNode? node, out DateTimeOffset instant)
    {
        instant = default;
        return Instant(node) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
    }

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$")]
    private static partial Regex CompactOffset();
}
