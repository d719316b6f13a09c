using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OkrKpi.Api.IntegrationTests.Infrastructure.Fuzz;

/// <summary>
/// Real resources the requests may name, so that they get past "not found" into the code behind it (none is the fixture's
/// admin), and the callers: a viewer's token, and an admin person signed in with a browser session.
/// </summary>
public sealed record FuzzWorld(Guid Team, Guid OtherTeam, Guid User, Guid Token, Guid Kpi, string KpiKey, Guid Cycle, Guid Objective,
    Guid KeyResult, Guid Initiative, string ViewerToken, Browser Person);

/// <summary>Who sends a request: the fixture's admin token, a viewer's token, an admin person's browser session, or nobody.</summary>
public enum FuzzCaller { Admin, Viewer, Person, Anonymous }

/// <summary>One generated request, kept as data so that a failure can be printed and replayed.</summary>
public sealed record FuzzRequest(string Method, string Url, FuzzCaller Caller, bool Xsrf, string? Accept, string? ContentType, string? IdempotencyKey,
    string? IfMatch, string? Body)
{
    public HttpRequestMessage ToMessage(FuzzWorld world)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url);
        var bearer = Caller switch { FuzzCaller.Admin => Callers.AdminToken, FuzzCaller.Viewer => world.ViewerToken, _ => null };
        if (bearer is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        // A browser sends the CSRF token it was given; leaving it out now and then is part of the fuzz.
        if (Caller == FuzzCaller.Person && Xsrf && world.Person.Cookie("XSRF-TOKEN") is { } xsrf) message.Headers.Add("X-XSRF-TOKEN", xsrf);
        if (Accept is not null) message.Headers.TryAddWithoutValidation("Accept", Accept);
        if (IdempotencyKey is not null) message.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey);
        if (IfMatch is not null) message.Headers.TryAddWithoutValidation("If-Match", IfMatch);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            message.Content.Headers.ContentType = null;
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : $" body({Body.Length} chars)={(Body.Length > 300 ? Body[..300] + "…" : Body)}";
        return $"{Method} {(Url.Length > 300 ? Url[..300] + "…" : Url)} as {Caller}{(Caller == FuzzCaller.Person && !Xsrf ? " without CSRF token" : "")}; Accept={Accept ?? "-"}; Content-Type={ContentType ?? "-"}; " +
               $"Idempotency-Key={IdempotencyKey ?? "-"}; If-Match={IfMatch ?? "-"};{body}";
    }
}

/// <summary>
/// Makes requests for an operation from what the API document says of it: parameters and bodies built from their
/// schemas, then spoiled: naughty strings, values of the wrong JSON type, nulls in arrays, empty and huge values, odd
/// Accept and Content-Type headers, with and without Idempotency-Key. Everything comes from <paramref name="random"/>.
/// </summary>
public sealed class FuzzRequests(ApiDocument document, FuzzWorld world, Random random)
{
    private static readonly string[] Naughty =
    [
        "", " ", "null", "undefined", "NaN", "Infinity", "-1", "0", "1e309", "99999999999999999999999999999", "true", "[]", "{}",
        "'; DROP TABLE Kpi; --", "\" OR 1=1 --", "<script>alert(1)</script>", "../../../../etc/passwd", "%00", "%2e%2e%2f", "${jndi:ldap://x/a}",
        "{{7*7}}", "%s%s%s%n", "\u0000", "a\u0000b", "\t\r\n", "\u202Egnp.exe", "😀🚀", "ＡＢＣ１２３", "İıŞş", "ß", "\uFEFFbom", "\u200B",
        "2026-02-30", "2026-W54", "2026-Q5", "2026-13", "9999-12-31T23:59:59Z", "0001-01-01", "00000000-0000-0000-0000-000000000000",
        "okr_", "W/\"1\"", "a,b\n\"c", new string('a', 257), new string('x', 5000),
    ];

    // Numbers JSON allows that .NET types may not hold: sent as raw JSON text.
    private static readonly string[] ExtremeNumbers =
    [
        "1e400", "-1e400", "-0", "0.0000000000000000000000000001", "79228162514264337593543950336", "1.1000000000000001",
        "123456789012345678901234567890.5", "2147483648", "-2147483649", "9223372036854775808", "1E+2", "0.1e-30",
    ];

    private static readonly string?[] Accepts =
    [
        null, null, "application/json", "*/*", "application/problem+json", "text/csv", "text/html,application/xhtml+xml", "application/xml",
        "text/plain", "image/png", "garbage;;;", "application/json;q=0", "text/csv, application/json;q=0.1", "",
    ];

    private static readonly string?[] OddContentTypes =
    [
        null, "", "text/plain", "application/xml", "text/csv", "application/x-ndjson", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", "application/json; charset=latin1", "garbage", "application/json;;", "application/problem+json",
    ];

    private static readonly string[] OddIdempotencyKeys = ["", " ", "fuzz-same-key", "fuzz-same-key", new string('k', 300), "a b c", "ÿ", "%00", "okr_x"];

    private static readonly string[] OddIfMatch = ["*", "\"1\"", "\"2\"", "W/\"1\"", "garbage", "\"99999999999999999999\"", "\"-1\"", "", "\"1\", \"2\""];

    private readonly List<(string Placeholder, string Json)> _raw = [];

    public FuzzRequest For(DocumentedOperation operation)
    {
        _raw.Clear();
        var url = new StringBuilder(operation.Route);
        var query = new List<string>();
        foreach (var parameter in operation.Parameters)
        {
            switch (parameter.In)
            {
                case "path":
                    url.Replace("{" + parameter.Name + "}", Uri.EscapeDataString(PathValue(parameter)));
                    break;
                case "query" when parameter.Required || Chance(0.5):
                    var value = Chance(0.5) ? Text(Valid(parameter.Schema, parameter.Name, 0)) : NaughtyText();
                    query.Add($"{Uri.EscapeDataString(parameter.Name)}={Uri.EscapeDataString(value)}");
                    if (Chance(0.05)) query.Add($"{Uri.EscapeDataString(parameter.Name)}={Uri.EscapeDataString(NaughtyText())}");
                    break;
            }
        }
        if (Chance(0.05)) query.Add($"unknown={Uri.EscapeDataString(NaughtyText())}");
        if (query.Count > 0) url.Append('?').Append(string.Join('&', query));

        string? contentType = null, body = null;
        if (operation.Bodies.Count > 0 && !Chance(0.05))
        {
            var (declared, schema) = operation.Bodies.ElementAt(random.Next(operation.Bodies.Count));
            contentType = Chance(0.8) ? declared : Pick(OddContentTypes);
            body = declared.Contains("json") && !declared.Contains("ndjson") ? JsonBody(schema) : declared.Contains("ndjson") ? NdjsonBody() : CsvBody();
        }
        else if (operation.Method is "POST" or "PUT" or "PATCH" && Chance(0.05))
        {
            (contentType, body) = ("application/json", "{}");
        }

        var caller = random.NextDouble() switch { < 0.65 => FuzzCaller.Admin, < 0.8 => FuzzCaller.Person, < 0.9 => FuzzCaller.Viewer, _ => FuzzCaller.Anonymous };
        var idempotencyKey = operation.Method == "POST" && Chance(0.5) ? (Chance(0.7) ? $"fuzz-{random.Next():x8}" : Pick(OddIdempotencyKeys)) : null;
        var ifMatch = operation.Method is "PUT" or "PATCH" or "DELETE" || Chance(0.05) ? (Chance(0.3) ? null : Pick(OddIfMatch)) : null;
        return new FuzzRequest(operation.Method, url.ToString(), caller, Chance(0.9), Pick(Accepts), contentType, idempotencyKey, ifMatch, body);
    }

    private string PathValue(DocumentedParameter parameter) => random.NextDouble() switch
    {
        < 0.75 => Known(parameter.Name) ?? Text(Valid(parameter.Schema, parameter.Name, 0)),
        < 0.88 => NewGuid().ToString(),
        // A NUL in a path is refused by the server (Kestrel) before any application code, and by the test server's client.
        < 0.97 => NaughtyText() is { Length: > 0 } text && !text.Contains('\0') && !text.Contains("%00") ? text : "x",
        _ => new string('9', 3000),
    };

    /// <summary>A real resource for a parameter or property with this name, or null when the name says nothing.</summary>
    private string? Known(string name) => name.ToLowerInvariant() switch
    {
        "cycleid" => world.Cycle.ToString(),
        "objectiveid" or "parentobjectiveid" => world.Objective.ToString(),
        "keyresultid" => world.KeyResult.ToString(),
        "initiativeid" => world.Initiative.ToString(),
        "teamid" => world.OtherTeam.ToString(),
        "ownerteamid" or "parentteamid" => world.Team.ToString(),
        "userid" or "owneruserid" => world.User.ToString(),
        "tokenid" => world.Token.ToString(),
        "kpiid" => world.Kpi.ToString(),
        "idorkey" => Chance(0.5) ? world.Kpi.ToString() : world.KpiKey,
        "kpi" or "kpikey" or "kpis" => world.KpiKey,
        "period" or "from" or "to" => Pick(["2026-07-14", "2026-07-14T08:00:00Z", "2026-W29", "2026-07", "2026-Q3", "2026"]),
        _ => null,
    };

    // ------------------------------------------------------------------ JSON bodies

    private string JsonBody(JsonObject? schema)
    {
        switch (random.NextDouble())
        {
            case < 0.15:
                return Serialize(Valid(schema, "", 0));
            case < 0.35:
                return Pick(WholeBodies());
            default:
                var body = Valid(schema, "", 0);
                for (var i = random.Next(1, 4); i > 0; i--) body = Spoil(body, schema, 0);
                return Serialize(body);
        }
    }

    private string[] WholeBodies() =>
    [
        "", " ", "null", "[]", "{}", "42", "\"text\"", "true", "{", "{\"a\":1}}", "\uFEFF{}", "{\"a\":1,\"a\":2}", "[null]", "[{}]", "{}{}",
        "{\"a\":\"\\ud800\"}", new string('[', 1000) + new string(']', 1000), "{\"x\":\"" + new string('x', 300_000) + "\"}",
        "\u0000", "{'single':'quotes'}", "{\"a\":1,}", "{\"a\":1 /* comment */}", "NaN",
    ];

    /// <summary>A value the schema allows, with real ids where a property's name says which resource it names.</summary>
    private JsonNode? Valid(JsonObject? schema, string name, int depth)
    {
        schema = document.Resolve(schema);
        if (Known(name) is { } known && (schema?["type"]?.GetValue<string>() is null or "string")) return JsonValue.Create(known);
        if (schema is null || depth > 6) return JsonValue.Create("x");
        if (schema["example"] is { } example && Chance(0.5)) return example.DeepClone();
        if (schema["enum"] is JsonArray values && values.Count > 0) return values[random.Next(values.Count)]?.DeepClone();
        var type = schema["type"]?.GetValue<string>() ?? (schema["properties"] is not null ? "object" : "string");
        switch (type)
        {
            case "integer":
                return JsonValue.Create(random.Next(Bound(schema, "minimum", 0), Bound(schema, "maximum", 10) + 1));
            case "number":
                return JsonValue.Create(Math.Round(random.NextDouble() * 100, 2));
            case "boolean":
                return JsonValue.Create(Chance(0.5));
            case "array":
                var array = new JsonArray();
                for (var i = random.Next(1, 3); i > 0; i--) array.Add(Valid(schema["items"] as JsonObject, Singular(name), depth + 1));
                return array;
            case "object":
                var item = new JsonObject();
                var required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
                foreach (var (property, propertySchema) in schema["properties"]?.AsObject() ?? [])
                    if (required.Contains(property) || Chance(0.6)) item[property] = Valid(propertySchema as JsonObject, property, depth + 1);
                return item;
            default:
                return JsonValue.Create(schema["format"]?.GetValue<string>() switch
                {
                    "uuid" => NewGuid().ToString(),
                    "date" => "2026-07-14",
                    "date-time" => "2026-07-14T08:00:00Z",
                    _ => $"fuzz {random.Next(1000)}",
                });
        }
    }

    private static int Bound(JsonObject schema, string name, int fallback) =>
        schema[name] is JsonValue value && value.TryGetValue<long>(out var bound) ? (int)Math.Clamp(bound, -1000, 1000) : fallback;

    private static string Singular(string name) => name.EndsWith("Ids", StringComparison.Ordinal) ? name[..^1] : name;

    /// <summary>Spoils one value somewhere in <paramref name="node"/>: a property, an array item, or the value itself.</summary>
    private JsonNode? Spoil(JsonNode? node, JsonObject? schema, int depth)
    {
        schema = document.Resolve(schema);
        if (node is JsonObject item && item.Count > 0 && depth < 5 && Chance(0.75))
        {
            if (Chance(0.1)) { item["fuzzUnknown" + random.Next(100)] = Spoiled(null); return item; }
            var (property, value) = item.ElementAt(random.Next(item.Count));
            item[property] = Spoil(value?.DeepClone(), schema?["properties"]?[property] as JsonObject, depth + 1);
            return item;
        }
        if (node is JsonArray array && array.Count > 0 && depth < 5 && Chance(0.6))
        {
            var index = random.Next(array.Count);
            array[index] = Spoil(array[index]?.DeepClone(), schema?["items"] as JsonObject, depth + 1);
            return array;
        }
        return Spoiled(node);
    }

    private JsonNode? Spoiled(JsonNode? value) => random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(NaughtyText()),
        2 => Raw(Pick(ExtremeNumbers)),
        3 => Raw("\"\\ud800\""),
        4 => JsonValue.Create(new string('z', random.Next(2) == 0 ? 300 : 100_000)),
        5 => new JsonArray(null, null),
        6 => new JsonArray(JsonValue.Create(NaughtyText()), null, JsonValue.Create(1)),
        7 => new JsonObject { ["fuzz"] = JsonValue.Create(NaughtyText()) },
        8 => value switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(random.Next(-5, 5)),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(v.ToJsonString()),
            JsonValue => JsonValue.Create("true"),
            JsonArray => JsonValue.Create("not an array"),
            _ => new JsonArray(),
        },
        9 => Raw(new string('[', 70) + new string(']', 70)),
        10 => new JsonArray(Enumerable.Range(0, 5000).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
        _ => JsonValue.Create(Chance(0.5)),
    };

    /// <summary>JSON text that a JsonNode cannot hold (a lone surrogate, a number beyond double), spliced in when serialized.</summary>
    private JsonNode Raw(string json)
    {
        var placeholder = $"fuzz-raw-{_raw.Count}-{random.Next():x8}";
        _raw.Add(($"\"{placeholder}\"", json));
        return JsonValue.Create(placeholder);
    }

    private string Serialize(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        foreach (var (placeholder, json) in _raw) text = text.Replace(placeholder, json);
        return text;
    }

    // ------------------------------------------------------------------ CSV and NDJSON bodies

    private string CsvBody()
    {
        if (Chance(0.2)) return Pick(["", "\uFEFF", "\uFEFF\r\n", "\r\n\r\n", "kpi,period,value", "\"unclosed", new string(',', 5000), "\u0000\u0001\u0002"]);
        var columns = Chance(0.6) ? ["kpi", "period", "value", "note"] : (RandomObjectSchema()?["properties"]?.AsObject().Select(p => p.Key).ToArray() ?? ["a"]);
        var lines = new List<string> { string.Join(',', columns) };
        for (var i = random.Next(0, 20); i > 0; i--)
            lines.Add(string.Join(',', columns.Select(column => Csv(Chance(0.6) ? Text(Known(column) is { } known ? JsonValue.Create(known) : JsonValue.Create(random.Next(100))) : NaughtyText()))));
        if (Chance(0.1)) lines.Add(new string('y', 200_000));
        return (Chance(0.2) ? "\uFEFF" : "") + string.Join(Chance(0.5) ? "\n" : "\r\n", lines) + (Chance(0.5) ? "\n" : "");
    }

    private static string Csv(string value) => value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : $"\"{value.Replace("\"", "\"\"")}\"";

    private string NdjsonBody()
    {
        if (Chance(0.2)) return Pick(["", "\uFEFF", "\uFEFF\n", "\n\n", "null", "[1,2]", "{", "{\"kpi\":\"\\ud800\",\"period\":\"2026-07-14\",\"value\":1}"]);
        var lines = new List<string>();
        for (var i = random.Next(1, 15); i > 0; i--)
        {
            var line = Chance(0.5)
                ? new JsonObject { ["kpi"] = world.KpiKey, ["period"] = Known("period"), ["value"] = random.Next(100) }
                : Valid(RandomObjectSchema(), "", 0);
            if (Chance(0.5)) line = Spoil(line, null, 0);
            lines.Add(Serialize(line));
        }
        return (Chance(0.2) ? "\uFEFF" : "") + string.Join('\n', lines) + (Chance(0.5) ? "\n" : "");
    }

    private JsonObject? RandomObjectSchema()
    {
        var schemas = document.Resolve(JsonNode.Parse("""{"$ref":"#/components/schemas"}"""))?.Select(s => s.Value).OfType<JsonObject>()
            .Where(s => s["properties"] is not null).ToList() ?? [];
        return schemas.Count == 0 ? null : schemas[random.Next(schemas.Count)];
    }

    // ------------------------------------------------------------------ small helpers

    private bool Chance(double probability) => random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private string NaughtyText() => Pick(Naughty);

    private Guid NewGuid()
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => value.ToJsonString(),
    };
}
