using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>
/// Which field of a request could not be read, and why, in words a client can act on and without .NET type names: a
/// JSON body System.Text.Json refused (told apart by the exception's type and its JSON path, walked through the body
/// type's JSON contract), and a route, query or header value that does not parse or a body that is missing (from the
/// endpoint's parameter metadata). The framework's message texts are never read.
/// </summary>
public static class RequestReadErrors
{
    public const string BodyField = "body";

    // The contract bodies are read with (the API's JSON options), to follow a JSON path to the field's declared type.
    private static readonly JsonSerializerOptions Contract = ContractOptions();

    /// <param name="json">What System.Text.Json threw.</param>
    /// <param name="bodyType">The type the JSON was read as, to say what the offending field expects.</param>
    public static KeyValuePair<string, string> Describe(JsonException json, Type? bodyType)
    {
        // The reader's own exception inside means the text is not JSON; no field can be named.
        if (json.InnerException is JsonException)
            return new(BodyField, json.LineNumber is { } line
                ? $"The body is not valid JSON: its syntax breaks at line {line + 1}, position {(json.BytePositionInLine ?? 0) + 1}."
                : "The body is not valid JSON.");

        var (field, declared, known) = Follow(bodyType, Segments(json.Path));
        if (!known)
            return new(field, "Unknown property: this field is not part of the request.");
        // A value the scalar converters cannot read comes with their exception inside; without one, at a scalar field,
        // the property was refused for appearing a second time.
        if (json.InnerException is null && declared is not null && IsScalar(declared))
            return new(field, "The property appears more than once.");
        return new(field, $"The value is not {Expected(declared)}.");
    }

    /// <summary>
    /// The route, query and header values of <paramref name="endpoint"/> that do not parse or are missing, and its body
    /// when it reads one and none was sent, or the JSON literal null (the framework refuses both alike); empty when
    /// everything it binds was readable.
    /// </summary>
    public static Dictionary<string, string[]> Unbound(HttpContext http, Endpoint? endpoint, RouteValueDictionary? routeValues)
    {
        var errors = new Dictionary<string, string[]>();
        if (endpoint is null) return errors;
        foreach (var parameter in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterInfo.ParameterType) ?? parameter.ParameterInfo.ParameterType;
            if (!parameter.HasTryParse && type != typeof(string)) continue;   // the body, services and the like
            var (name, raw) = RawValue(http, routeValues, parameter);
            if (string.IsNullOrEmpty(raw))
            {
                if (!parameter.IsOptional) errors[name] = ["A value is required."];
            }
            else if (!Parses(raw, type))
            {
                errors[name] = [$"'{raw}' is not a valid value."];
            }
        }
        if (errors.Count == 0 && endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: not null })
            errors[BodyField] = [HasBody(http) ? "A JSON body is required; null is not one." : "A JSON body is required."];
        return errors;
    }

    private static (string Name, string? Raw) RawValue(HttpContext http, RouteValueDictionary? routeValues, IParameterBindingMetadata parameter)
    {
        var attributes = parameter.ParameterInfo.GetCustomAttributes(inherit: false);
        if (attributes.OfType<IFromHeaderMetadata>().FirstOrDefault() is { } header)
        {
            var name = header.Name ?? parameter.Name;
            return (name, http.Request.Headers[name].ToString());
        }
        var query = attributes.OfType<IFromQueryMetadata>().FirstOrDefault()?.Name ?? parameter.Name;
        return routeValues is not null && routeValues.TryGetValue(parameter.Name, out var route)
            ? (parameter.Name, route?.ToString())
            : (query, http.Request.Query[query].ToString());
    }

    private static bool HasBody(HttpContext http) =>
        http.Request.ContentLength is not 0 && http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false;

    private static bool Parses(string raw, Type type) => type switch
    {
        _ when type == typeof(int) => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(long) => long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(decimal) => decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(bool) => bool.TryParse(raw, out _),
        _ when type == typeof(Guid) => Guid.TryParse(raw, out _),
        _ when type == typeof(DateOnly) => DateOnly.TryParse(raw, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(DateTimeOffset) => DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, out _),
        { IsEnum: true } => Enum.TryParse(type, raw, ignoreCase: true, out _),
        _ => true,
    };

    /// <summary>"$.target.value" → target, value; "$.tags[2]" → tags, 2; "$['odd name']" → odd name.</summary>
    internal static IReadOnlyList<object> Segments(string? path)
    {
        var segments = new List<object>();
        if (string.IsNullOrEmpty(path)) return segments;
        var i = path[0] == '$' ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) break;
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)) break;
                segments.Add(index);
                i = end + 1;
            }
            else
            {
                break;
            }
        }
        return segments;
    }

    /// <summary>Follows the path through the body type's contract: the field as clients name it, its declared type, and whether every property on the way exists.</summary>
    private static (string Field, Type? Declared, bool Known) Follow(Type? bodyType, IReadOnlyList<object> segments)
    {
        var field = "";
        var info = bodyType is null ? null : Contract.GetTypeInfo(bodyType);
        foreach (var segment in segments)
        {
            if (segment is int index)
            {
                field += $"[{index}]";
                info = info?.ElementType is { } element ? Contract.GetTypeInfo(element) : null;
                continue;
            }
            var name = (string)segment;
            field = field.Length == 0 ? name : $"{field}.{name}";
            if (info is null) continue;
            var property = info.Kind == JsonTypeInfoKind.Object
                ? info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                : null;
            if (property is null) return (field, null, info.Kind != JsonTypeInfoKind.Object);
            info = Contract.GetTypeInfo(property.PropertyType);
        }
        return (field.Length == 0 ? BodyField : field, info?.Type, true);
    }

    private static bool IsScalar(Type declared)
    {
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        return !type.IsEnum && Contract.GetTypeInfo(type).Kind == JsonTypeInfoKind.None;
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
            { IsEnum: true } => $"one of: {string.Join(", ", StrictJson.EnumValues(type).Keys)}",
            _ => Contract.GetTypeInfo(type).Kind switch
            {
                JsonTypeInfoKind.Enumerable => "a JSON array",
                JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "a JSON object",
                _ => "of the expected JSON type (see the API document)",
            },
        };
    }

    private static JsonSerializerOptions ContractOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        StrictJson.Configure(options);
        options.MakeReadOnly();
        return options;
    }
}
