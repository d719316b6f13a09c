using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.OpenApi.YamlReader;

namespace OkrKpi.Api.Testing;

/// <summary>
/// openapi.yaml as a judge of real answers: for a request and its response it finds the documented operation and says
/// what does not match (status, media type, body schema, headers). Read with Microsoft.OpenApi (which also reports a
/// malformed document); schemas are checked with JsonSchema.Net, after turning OpenAPI 3.0's dialect (nullable,
/// component references) into JSON Schema 2020-12.
/// </summary>
internal sealed partial class OpenApiContract
{
    private const string Base = "https://okrkpi.test/openapi.json";

    /// <summary>The headers the API sets on purpose: each one sent must be documented on that answer.</summary>
    private static readonly string[] KnownHeaders = ["ETag", "Location", "Retry-After", "Idempotent-Replayed", "RateLimit-Policy", "RateLimit"];

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly List<(Regex Pattern, int Parameters, JsonObject PathItem, string Template)> _paths;
    private readonly BuildOptions _build;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    private OpenApiContract(JsonObject document)
    {
        Document = document;
        _build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var definitions = new JsonObject();
        foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
            definitions[name] = ToJsonSchema(schema!);
        JsonSchema.FromText(new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = Base,
            ["$defs"] = definitions,
        }.ToJsonString(), _build);

        _paths = document["paths"]!.AsObject()
            .Select(path => (
                Pattern: new Regex("^" + Parameter().Replace(Regex.Escape(path.Key).Replace(@"\{", "{"), "[^/]+") + "$"),
                Parameters: Parameter().Count(path.Key),
                PathItem: path.Value!.AsObject(),
                Template: path.Key))
            .OrderBy(p => p.Parameters)
            .ToList();
    }

    public JsonObject Document { get; }

    /// <summary>A header documented once under components/headers and referenced from each answer.</summary>
    private JsonNode? Resolve(JsonNode? header) =>
        header?["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/components/headers/", StringComparison.Ordinal)
            ? Document["components"]?["headers"]?[reference["#/components/headers/".Length..]]
            : header;

    public static OpenApiContract Load(string file)
    {
        var settings = new OpenApiReaderSettings();
        settings.TryAddReader(OpenApiConstants.Yaml, new OpenApiYamlReader());
        using var stream = File.OpenRead(file);
        var read = OpenApiDocument.LoadAsync(stream, OpenApiConstants.Yaml, settings).GetAwaiter().GetResult();
        if (read.Diagnostic?.Errors is { Count: > 0 } errors)
            throw new InvalidOperationException($"{file} is not a valid OpenAPI document: {string.Join("; ", errors)}");
        // The schemas are taken from the YAML as written: the object model's own rewrite of OpenAPI 3.0 drops
        // "nullable" beside a lone allOf reference, which is how a nullable object property is written.
        var yaml = new SharpYaml.Serialization.YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(file)));
        return new OpenApiContract(yaml.Documents[0].ToJsonNode()!.AsObject());
    }

    /// <summary>The documented operation for a method and path: its template and JSON, or null when none is documented.</summary>
    public (string Template, JsonObject Operation)? Find(string method, string path)
    {
        foreach (var (pattern, _, item, template) in _paths)
            if (pattern.IsMatch(path) && item[method.ToLowerInvariant()] is JsonObject operation)
                return (template, operation);
        return null;
    }

    /// <summary>What about this answer breaks the document; empty when it conforms.</summary>
    public IReadOnlyList<string> Check(JsonObject operation, int status, string? mediaType, string? body, IReadOnlyDictionary<string, string> headers, bool head = false)
    {
        var problems = new List<string>();
        var responses = operation["responses"]!.AsObject();
        var documented = responses[status.ToString()] ?? responses[$"{status / 100}XX"] ?? responses["default"];
        if (documented is not JsonObject response)
            return [$"status {status} is not documented (documented: {string.Join(", ", responses.Select(r => r.Key))})"];

        var content = response["content"]?.AsObject();
        if (string.IsNullOrEmpty(body) || head)
        {
            if (content is { Count: > 0 } && !head && status != 204 && status != 304)
                problems.Add($"status {status} documents a body ({string.Join(", ", content.Select(c => c.Key))}) but none was sent");
        }
        else if (content is null || mediaType is null || content[mediaType] is not JsonObject media)
        {
            problems.Add($"media type {mediaType ?? "(none)"} is not documented for {status} (documented: {string.Join(", ", content?.Select(c => c.Key) ?? [])})");
        }
        else if (IsJson(mediaType) && media["schema"] is JsonNode schema)
        {
            problems.AddRange(Validate(schema, body, $"{status} {mediaType}"));
        }

        var declared = response["headers"]?.AsObject() ?? [];
        foreach (var (name, declaredHeader) in declared)
        {
            var header = Resolve(declaredHeader);
            var value = headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
            if (value is null)
            {
                if (header?["required"]?.GetValue<bool>() == true) problems.Add($"required header {name} is missing");
                continue;
            }
            if (header?["schema"] is JsonNode headerSchema)
            {
                JsonNode instance = headerSchema["type"]?.GetValue<string>() == "integer" && long.TryParse(value, out var number) ? number : value;
                problems.AddRange(Validate(headerSchema, instance.ToJsonString(), $"header {name}"));
            }
        }
        foreach (var name in KnownHeaders.Where(n => headers.Keys.Any(k => k.Equals(n, StringComparison.OrdinalIgnoreCase))))
            if (!declared.Any(d => d.Key.Equals(name, StringComparison.OrdinalIgnoreCase)))
                problems.Add($"header {name} is sent but not documented for {status}");
        return problems;
    }

    /// <summary>Checks a JSON text against an OpenAPI schema of this document.</summary>
    public IReadOnlyList<string> Validate(JsonNode openApiSchema, string json, string what)
    {
        var key = openApiSchema.ToJsonString();
        var schema = _schemas.GetOrAdd(key, _ =>
        {
            var converted = ToJsonSchema(openApiSchema.DeepClone()).AsObject();
            converted["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            return JsonSchema.FromText(converted.ToJsonString(), _build, new Uri($"https://okrkpi.test/schemas/{Guid.NewGuid():N}"));
        });
        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return [$"{what}: the body is not JSON ({e.Message})"];
        }
        using (instance)
        {
            var result = schema.Evaluate(instance.RootElement, Evaluation);
            if (result.IsValid) return [];
            return (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .Select(d => $"{what}: {d.InstanceLocation} ({d.EvaluationPath}): {string.Join("; ", d.Errors!.Values)}")
                .DefaultIfEmpty($"{what}: does not match its schema")
                .Take(10)
                .ToList();
        }
    }

    public static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    /// <summary>OpenAPI 3.0 schema to JSON Schema 2020-12: nullable becomes a "null" type, references point into $defs.</summary>
    private static JsonNode ToJsonSchema(JsonNode node)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray(array.Select(item => item is null ? null : ToJsonSchema(item.DeepClone())).ToArray());
            case not JsonObject:
                return node.DeepClone();
        }

        var source = node.AsObject();
        var schema = new JsonObject();
        foreach (var (name, value) in source)
        {
            switch (name)
            {
                case "nullable" or "example" or "examples" or "xml" or "externalDocs" or "discriminator" or "x-internal":
                    continue;
                case "$ref":
                    schema[name] = value!.GetValue<string>().Replace("#/components/schemas/", Base + "#/$defs/");
                    continue;
                case "properties":
                    schema[name] = new JsonObject(value!.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)ToJsonSchema(p.Value!))));
                    continue;
                case "items" or "additionalProperties" or "not" when value is JsonObject:
                case "allOf" or "oneOf" or "anyOf":
                    schema[name] = ToJsonSchema(value!);
                    continue;
                default:
                    schema[name] = value?.DeepClone();
                    continue;
            }
        }

        if (source["nullable"]?.GetValue<bool>() != true) return schema;
        if (schema["type"] is JsonValue type && !schema.ContainsKey("allOf") && !schema.ContainsKey("oneOf") && !schema.ContainsKey("anyOf"))
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
            if (schema["enum"] is JsonArray values) values.Add(null);
            return schema;
        }
        return new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}

/// <summary>
/// Checks every answer that passes through it against openapi.yaml and records what does not match, so the test that
/// made the request fails (ContractCheckedAttribute). Only answers of documented operations are counted.
/// </summary>
internal sealed class ContractCheckingHandler : DelegatingHandler
{
    public static readonly Lazy<OpenApiContract> Contract = new(() => OpenApiContract.Load(RepositoryFiles.PathOf("openapi.yaml")));
    private static readonly ConcurrentQueue<string> ViolationQueue = new();
    private static int _validated;

    public ContractCheckingHandler() { }

    public ContractCheckingHandler(HttpMessageHandler inner) : base(inner) { }

    public static int Validated => _validated;

    public static IReadOnlyList<string> TakeViolations()
    {
        var taken = new List<string>();
        while (ViolationQueue.TryDequeue(out var violation)) taken.Add(violation);
        return taken;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        var path = request.RequestUri!.AbsolutePath;
        if (Contract.Value.Find(request.Method.Method, path) is not { } found) return response;

        var mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
        string? body = null;
        if (mediaType is null || OpenApiContract.IsJson(mediaType))
        {
            await response.Content.LoadIntoBufferAsync(ct);
            body = await response.Content.ReadAsStringAsync(ct);
        }
        else
        {
            body = "(not read)";   // CSV and NDJSON downloads: their media type is checked, not their rows
        }

        var headers = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var problems = Contract.Value.Check(found.Operation, (int)response.StatusCode, mediaType, body, headers, request.Method == HttpMethod.Head);
        Interlocked.Increment(ref _validated);
        foreach (var problem in problems)
            ViolationQueue.Enqueue($"{request.Method} {path}{request.RequestUri.Query} -> {(int)response.StatusCode} ({found.Template}): {problem}");
        return response;
    }
}
