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

    /// <summary>
    /// A PATCH from end to end: the If-Match the caller sent (required), the resource as it is (404 when gone, 412 when
    /// it has changed), the patch applied to the resource as its replacement body, and the update the caller's command
    /// makes of it, guarded by the version read here.
    /// </summary>
    /// <param name="what">How problems name the resource, e.g. "KPI 'defect-rate'".</param>
    /// <param name="asBody">The resource as the body of its full replacement (PUT).</param>
    /// <param name="adjust">Reads the patch before it is applied, for a member that stands in for another.</param>
    public static async Task<TResult> UpdateAsync<TCurrent, TBody, TResult>(HttpRequest request, string? ifMatch, string what,
        Func<Task<TCurrent?>> read, Func<TCurrent, long> version, Func<TCurrent, TBody> asBody,
        Func<TCurrent, TBody, Task<TResult>> update, JsonSerializerOptions options, CancellationToken ct, Action<JsonObject>? adjust = null)
        where TCurrent : class
    {
        var expected = ETags.Required(ifMatch);
        var current = await read() ?? throw new NotFoundException($"{what} was not found.");
        if (expected is { } named && named != version(current))
            throw new PreconditionFailedException($"{what} has changed since you read it (now version {version(current)}).");
        var patch = await ReadAsync(request, ct);
        adjust?.Invoke(patch);
        return await update(current, Apply(asBody(current), patch, options));
    }

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
        // A lone surrogate escape ("\ud800") parses as a JSON node but cannot be read as text.
        catch (InvalidOperationException text)
        {
            throw new BadHttpRequestException("The patch holds a string that is not valid Unicode text.", StatusCodes.Status400BadRequest, text);
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
