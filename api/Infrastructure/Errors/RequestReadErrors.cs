using System.Text.Json;
using System.Text.RegularExpressions;

namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>
/// Turns the framework's messages about an unreadable request (bad JSON, a query value that does not
/// parse) into a field name and a reason a client can act on, without leaking .NET type names.
/// </summary>
public static partial class RequestReadErrors
{
    public const string BodyField = "body";

    public static KeyValuePair<string, string> Describe(JsonException json)
    {
        var path = FieldFromJsonPath(json.Path);
        var message = json.Message;
        var where = json.LineNumber is { } line
            ? $" (line {line + 1}, position {(json.BytePositionInLine ?? 0) + 1})"
            : "";

        if (UnknownProperty().Match(message) is { Success: true } unknown)
            return new(Join(ParentOf(json.Path, unknown.Groups[1].Value), unknown.Groups[1].Value), "Unknown property: this field is not part of the request.");

        if (DuplicateProperty().Match(message) is { Success: true } duplicate)
            return new(Join(ParentOf(json.Path, duplicate.Groups[1].Value), duplicate.Groups[1].Value), "The property appears more than once.");

        if (NotConvertible().Match(message) is { Success: true } conversion)
            return new(path ?? BodyField, $"The value is not {Expected(conversion.Groups[1].Value)}.");

        if (MissingRequired().IsMatch(message))
            return new(path ?? BodyField, "A required property is missing.");

        // What is left comes from the JSON reader itself (malformed or trailing content); its text
        // before " Path:" describes the syntax problem and names no types.
        var reason = message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd();
        return new(BodyField, $"The body is not valid JSON: {reason}{where}");
    }

    /// <summary>Field and reason for a route, query or header value that could not be bound.</summary>
    public static KeyValuePair<string, string>? DescribeBindingFailure(string message)
    {
        if (BindFailure().Match(message) is { Success: true } bind)
            return new(bind.Groups["name"].Value, $"'{bind.Groups["value"].Value}' is not a valid value.");
        if (RequiredMissing().Match(message) is { Success: true } missing)
            return missing.Groups["source"].Value == "body"
                ? new(BodyField, "A JSON body is required.")
                : new(missing.Groups["name"].Value, "A value is required.");
        return null;
    }

    private static string Expected(string declaredType)
    {
        var typeName = Unwrap(declaredType);
        return typeName switch
        {
            "System.Decimal" or "System.Double" or "System.Single" or "System.Int32" or "System.Int64"
                or "System.Int16" or "System.Byte" => "a number (send it unquoted, e.g. 42 or 1.5)",
            "System.Boolean" => "a boolean (true or false)",
            "System.String" => "a string",
            "System.Guid" => "a UUID string",
            "System.DateOnly" => "a date string (yyyy-MM-dd)",
            "System.DateTimeOffset" or "System.DateTime" => "an ISO 8601 date-time string",
            _ when EnumNames(typeName) is { } names => $"one of: {names}",
            _ when typeName.Contains("List") || typeName.Contains("[]") || typeName.Contains("Collection") => "an array",
            _ => "of the expected JSON type (see the API document)",
        };
    }

    private static string Unwrap(string typeName) =>
        typeName.StartsWith("System.Nullable`1[") ? typeName["System.Nullable`1[".Length..].TrimEnd(']') : typeName;

    private static string? EnumNames(string typeName)
    {
        var type = typeof(RequestReadErrors).Assembly.GetType(typeName);
        return type is { IsEnum: true }
            ? string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName))
            : null;
    }

    private static string? FieldFromJsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        // "$.target.value" -> "target.value"; "$.tags[2]" -> "tags[2]"; "$['odd name']" -> "odd name"
        var field = path.StartsWith("$.") ? path[2..] : path.TrimStart('$');
        return BracketName().Replace(field, m => "." + m.Groups[1].Value).TrimStart('.');
    }

    private static string? ParentOf(string? path, string property)
    {
        var field = FieldFromJsonPath(path);
        if (field is null) return null;
        // The reader may already have stepped onto the offending property; do not name it twice.
        return field == property || field.EndsWith("." + property) ? field[..^property.Length].TrimEnd('.') : field;
    }

    private static string Join(string? parent, string property) =>
        string.IsNullOrEmpty(parent) ? property : $"{parent}.{property}";

    [GeneratedRegex(@"The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"[Dd]uplicate.*property '([^']+)'|property '([^']+)'.*duplicate")]
    private static partial Regex DuplicateProperty();

    [GeneratedRegex(@"could not be converted to ([^\s.]+(?:\.[^\s.]+)*)\.\s")]
    private static partial Regex NotConvertible();

    [GeneratedRegex(@"missing required properties")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"Failed to bind parameter ""(?:[^""]* )?(?<name>\w+)"" from ""(?<value>[^""]*)""")]
    private static partial Regex BindFailure();

    [GeneratedRegex(@"Required parameter ""(?:[^""]* )?(?<name>\w+)"" was not provided from (?<source>\w+)")]
    private static partial Regex RequiredMissing();

    [GeneratedRegex(@"\['([^']*)'\]")]
    private static partial Regex BracketName();
}
