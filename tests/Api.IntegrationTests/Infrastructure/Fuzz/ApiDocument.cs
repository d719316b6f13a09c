using System.Globalization;
using System.Text.Json.Nodes;
using OkrKpi.Api.Testing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OkrKpi.Api.IntegrationTests.Infrastructure.Fuzz;

/// <summary>One parameter of an operation as the API document describes it.</summary>
public sealed record DocumentedParameter(string Name, string In, bool Required, JsonObject? Schema);

/// <summary>One operation of the API document: its route, parameters and the bodies it reads, by content type.</summary>
public sealed record DocumentedOperation(string Method, string Route, string OperationId, IReadOnlyList<DocumentedParameter> Parameters,
    IReadOnlyDictionary<string, JsonObject?> Bodies)
{
    public override string ToString() => $"{OperationId} ({Method} {Route})";
}

/// <summary>openapi.yaml at the repository root, read generically: paths, parameters and request bodies, with $refs resolved.</summary>
public sealed class ApiDocument(JsonObject root)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static ApiDocument Load()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RepositoryFiles.PathOf("openapi.yaml"))) yaml.Load(reader);
        return new ApiDocument(ToJson(yaml.Documents[0].RootNode)!.AsObject());
    }

    public IReadOnlyList<DocumentedOperation> Operations() =>
        root["paths"]!.AsObject()
            .SelectMany(path => Methods.Where(method => path.Value![method] is not null).Select(method =>
            {
                var operation = path.Value![method]!.AsObject();
                var parameters = (path.Value["parameters"]?.AsArray() ?? []).Concat(operation["parameters"]?.AsArray() ?? [])
                    .Select(p => Resolve(p)!)
                    .Select(p => new DocumentedParameter(p["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(),
                        p["required"]?.GetValue<bool>() ?? false, Resolve(p["schema"])))
                    .ToList();
                var bodies = Resolve(operation["requestBody"])?["content"]?.AsObject()
                    .ToDictionary(content => content.Key, content => Resolve(content.Value?["schema"]))
                    ?? [];
                return new DocumentedOperation(method.ToUpperInvariant(), path.Key, operation["operationId"]?.GetValue<string>() ?? $"{method} {path.Key}",
                    parameters, bodies);
            }))
            .ToList();

    /// <summary>The schema or object a "$ref" names (local references only), with allOf parts merged; anything else as it is.</summary>
    public JsonObject? Resolve(JsonNode? node)
    {
        for (var hops = 0; node is JsonObject { } reference && reference["$ref"]?.GetValue<string>() is { } target && hops < 32; hops++)
            node = target.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode?)root, (at, part) => at?[part]);
        if (node is not JsonObject schema) return null;
        if (schema["allOf"] is not JsonArray parts) return schema;
        var merged = new JsonObject();
        foreach (var part in parts.Select(Resolve).Append(schema).OfType<JsonObject>())
            foreach (var (key, value) in part)
                if (key is not "allOf") merged[key] = key == "properties" && merged[key] is JsonObject known && value is JsonObject more
                    ? new JsonObject(known.Concat(more).DistinctBy(p => p.Key).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))
                    : value?.DeepClone();
        return merged;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(child =>
            KeyValuePair.Create(((YamlScalarNode)child.Key).Value ?? "", ToJson(child.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    // Plain scalars carry YAML's types; quoted ones are strings.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain) return JsonValue.Create(text);
        if (text is "null" or "~" or "") return null;
        if (text is "true" or "false") return JsonValue.Create(text == "true");
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)) return JsonValue.Create(whole);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return JsonValue.Create(number);
        return JsonValue.Create(text);
    }
}
