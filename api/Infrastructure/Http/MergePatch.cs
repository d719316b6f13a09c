using System.Text.Json;
using System.Text.Json.Nodes;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>
/// JSON Merge Patch (RFC 7396) for "change one thing": the members a client sends replace the current ones, null
/// clears one, members left out stay as they are. A PATCH reads the resource, turns it into the body its PUT takes,
/// applies the patch to that, and sends the result through the same update command (with the same validation,
/// access checks and If-Match guard) as a PUT would.
/// </summary>
public static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    private static readonly JsonDocumentOptions Strict = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>The patch in the request body: a JSON object sent as application/merge-patch+json.</summary>
    public static async Task<JsonObject> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), MediaType, StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedMediaTypeException($"Send the patch as {MediaType} (RFC 7396).");
        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(request.Body, documentOptions: Strict, cancellationToken: ct);
        }
        catch (JsonException json)
        {
            throw new BadHttpRequestException("The patch is not valid JSON.", StatusCodes.Status400BadRequest, json);
        }
        return patch as JsonObject
            ?? throw new FluentValidation.ValidationException([new(RequestReadErrors.BodyField, "A merge patch is a JSON object of the members to change.")]);
    }

    /// <summary>
    /// <paramref name="current"/> (the body a PUT of the resource would take) with <paramref name="patch"/> applied,
    /// read back as that body with the API's strict JSON options: an unknown member or a wrong type is a 400 naming it.
    /// </summary>
    public static TBody Apply<TBody>(TBody current, JsonObject patch, JsonSerializerOptions options)
    {
        var document = JsonSerializer.SerializeToNode(current, options)!.AsObject();
        var merged = Merge(document, patch);
        try
        {
            return merged.Deserialize<TBody>(options)!;
        }
        catch (JsonException json)
        {
            throw new BadHttpRequestException("The patched resource could not be read.", StatusCodes.Status400BadRequest, json);
        }
    }

    /// <summary>RFC 7396 section 2, MergePatch(Target, Patch).</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject members) return patch?.DeepClone();
        var result = target is JsonObject existing ? existing.DeepClone().AsObject() : new JsonObject();
        foreach (var (name, value) in members)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }
            var merged = Merge(result[name], value);
            result.Remove(name);
            result[name] = merged;
        }
        return result;
    }
}
