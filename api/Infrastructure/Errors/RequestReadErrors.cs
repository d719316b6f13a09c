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

    /// <param name="json">What System.Text.Json threw.</param>
    /// <param name="bodyType">The endpoint's body type, to say what the offending field expects.</param>
    public static KeyValuePair<string, string> Describe(JsonException json, Type? bodyType)
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

        if (message.Contains("could not be converted to "))
            return new(path ?? BodyField, $"The value is not {Expected(TypeAt(bodyType, path))}.");

        if (message.Contains("missing required properties"))
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
        if (message.Contains("but no body was provided"))
            return new(BodyField, "A JSON body is required.");
        if (RequiredMissing().Match(message) is { Success: true } missing)
            return missing.Groups["source"].Value == "body"
                ? new(BodyField, "A JSON body is required.")
                : new(missing.Groups["name"].Value, "A value is required.");
        return null;
    }

    private static string Expected(Type? declared)
    {
        var type = declared is null ? null : Nullable.GetUnderlyingType(declared) ?? declared;
        return type switch
        {
            null => "of the expected JSON type (see the API document)",
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) || type == typeof(int)
                || type == typeof(long) || type == typeof(short) => "a number (send it unquoted, e.g. 42 or 1.5)",
            _ when type == typeof(bool) => "a boolean (true or false)",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(Guid) => "a UUID string",
            _ when type == typeof(DateOnly) => "a date string (yyyy-MM-dd)",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 date-time string",
            { IsEnum: true } => $"one of: {string.Join(", ", Http.StrictJson.EnumValues(type).Keys)}",
            _ when ElementType(type) is not null => "an array",
            _ => "an object",
        };
    }

    /// <summary>Follows "target.value" or "tags[2]" through the body type's properties to the field's declared type.</summary>
    private static Type? TypeAt(Type? type, string? path)
    {
        if (type is null || path is null) return null;
        foreach (var segment in path.Split('.'))
        {
            var name = segment.Split('[')[0];
            var property = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null) return null;
            type = property.PropertyType;
            if (segment.Contains('[')) type = ElementType(type);
            if (type is null) return null;
        }
        return type;
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

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

    [GeneratedRegex(@"Duplicate property '([^']+)'")]
    private static partial Regex DuplicateProperty();

    [GeneratedRegex(@"Failed to bind parameter ""(?:[^""]* )?(?<name>\w+)"" from ""(?<value>[^""]*)""")]
    private static partial Regex BindFailure();

    [GeneratedRegex(@"Required parameter ""(?:[^""]* )?(?<name>\w+)"" was not provided from (?<source>\w+)")]
    private static partial Regex RequiredMissing();

    [GeneratedRegex(@"\['([^']*)'\]")]
    private static partial Regex BracketName();
}
