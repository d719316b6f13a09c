using Microsoft.OpenApi;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Idempotency;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// Last touches over the whole document, where one operation or type alone cannot decide:
/// schemas only ever returned (never sent) list every property as required, since the server always writes them
/// (null where the schema says nullable), so generated clients need no "maybe absent" checks;
/// formatted strings state their longest form; the headers every client sends are described once;
/// a lone <c>allOf</c> around a reference is unwrapped.
/// </summary>
public sealed class DocumentTidy : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var sent = new HashSet<string>();
        foreach (var operation in Operations(document))
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                DescribeParameter(parameter);
                Walk(parameter.Schema, schemas, sent);
            }
            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
            {
                if (media is OpenApiMediaType { Schema: { } body } own) own.Schema = Unwrap(body);
                Walk(media.Schema, schemas, sent);
            }
        }

        foreach (var (id, schema) in schemas)
        {
            if (schema is not OpenApiSchema model) continue;
            foreach (var (name, property) in model.Properties?.ToList() ?? [])
                model.Properties![name] = Unwrap(property);
            var omitted = OmittedWhenNull(model);
            if (!sent.Contains(id) && id is not "ProblemDetails" and not "HttpValidationProblemDetails" && model.Properties is { Count: > 0 } properties)
                model.Required = new HashSet<string>(properties.Keys.Except(omitted));
        }

        foreach (var schema in AllSchemas(document))
        {
            FormatLength(schema);
            TypeNullableReference(schema, schemas);
        }

        // Where both exist, PUT and PATCH say how they differ: a full replacement clears what it leaves out.
        foreach (var path in document.Paths.Values)
            if (path.Operations?.TryGetValue(HttpMethod.Put, out var put) == true && path.Operations.ContainsKey(HttpMethod.Patch))
                put.Description = "**A full replacement:** a field you leave out is cleared (null, empty or its default), not kept. " +
                                  "To change some fields only, send PATCH with a JSON Merge Patch of them.\n\n" + put.Description;
    }

    private const string OmittedExtension = "x-omitted-when-null";

    /// <summary>Notes a property the server leaves out when it has no value, so it is not listed as always there.</summary>
    public static void MarkOmittedWhenNull(OpenApiSchema schema, string property)
    {
        schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        var names = schema.Extensions.TryGetValue(OmittedExtension, out var existing) && existing is JsonNodeExtension { Node: System.Text.Json.Nodes.JsonArray list }
            ? list
            : new System.Text.Json.Nodes.JsonArray();
        names.Add(property);
        schema.Extensions[OmittedExtension] = new JsonNodeExtension(names);
    }

    /// <summary>The properties marked by <see cref="MarkOmittedWhenNull"/>; the mark itself is not part of the document.</summary>
    private static IReadOnlyList<string> OmittedWhenNull(OpenApiSchema schema)
    {
        if (schema.Extensions?.Remove(OmittedExtension, out var mark) != true || mark is not JsonNodeExtension { Node: System.Text.Json.Nodes.JsonArray names }) return [];
        return names.Select(n => n!.GetValue<string>()).ToList();
    }

    private static IEnumerable<OpenApiOperation> Operations(OpenApiDocument document) =>
        document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []);

    /// <summary>Collects the components a request can carry, following references into nested types.</summary>
    private static void Walk(IOpenApiSchema? schema, IDictionary<string, IOpenApiSchema> components, HashSet<string> seen)
    {
        switch (schema)
        {
            case null:
                return;
            case OpenApiSchemaReference reference:
                if (reference.Reference.Id is { } id && seen.Add(id) && components.TryGetValue(id, out var target)) Walk(target, components, seen);
                return;
        }
        foreach (var child in Children(schema)) Walk(child, components, seen);
    }

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema) =>
        (schema.Properties?.Values ?? [])
            .Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? [])
            .Concat(schema.Items is { } items ? [items] : [])
            .Concat(schema.AdditionalProperties is { } additional ? [additional] : []);

    private static IEnumerable<OpenApiSchema> AllSchemas(OpenApiDocument document)
    {
        var roots = (document.Components?.Schemas?.Values ?? [])
            .Concat(Operations(document).SelectMany(o => (o.Parameters ?? []).Select(p => p.Schema)
                .Concat((o.RequestBody?.Content?.Values ?? []).Select(m => m.Schema))
                .Concat((o.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => (r.Content?.Values ?? []).Select(m => m.Schema)
                    .Concat((r.Headers?.Values ?? []).Select(h => h.Schema))))));
        var stack = new Stack<IOpenApiSchema?>(roots);
        var done = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        while (stack.Count > 0)
        {
            if (stack.Pop() is not OpenApiSchema schema || !done.Add(schema)) continue;
            yield return schema;
            foreach (var child in Children(schema)) stack.Push(child);
        }
    }

    /// <summary>A wrapper that adds nothing to the reference it holds is the reference itself.</summary>
    private static IOpenApiSchema Unwrap(IOpenApiSchema schema) =>
        schema is OpenApiSchema { AllOf: [OpenApiSchemaReference inner] } wrapper
        && wrapper.Type is null or 0 && wrapper.Description is null && wrapper.Default is null
        && wrapper.Properties is not { Count: > 0 } && wrapper.Enum is not { Count: > 0 } && wrapper.ReadOnly is false && wrapper.WriteOnly is false
            ? inner
            : schema;

    /// <summary>
    /// "nullable" means nothing without a type in OpenAPI 3.0, so a nullable reference (a lone allOf) also states the
    /// type of what it refers to: an object, or the string of an enum.
    /// </summary>
    private static void TypeNullableReference(OpenApiSchema schema, IDictionary<string, IOpenApiSchema> components)
    {
        if (schema is not { Type: JsonSchemaType.Null, AllOf: [OpenApiSchemaReference reference] }) return;
        if (reference.Reference.Id is { } id && components.TryGetValue(id, out var target) && target.Type is { } type)
            schema.Type = type | JsonSchemaType.Null;
    }

    /// <summary>The longest text of a formatted string: a UUID, a date, an ISO 8601 instant with seven decimals and offset.</summary>
    private static void FormatLength(OpenApiSchema schema)
    {
        if (schema.Type is not { } type || !type.HasFlag(JsonSchemaType.String) || schema.MaxLength is not null) return;
        schema.MaxLength = schema.Format switch
        {
            "uuid" => 36,
            "date" => 10,
            "date-time" => 33,
            _ => null,
        };
    }

    /// <summary>The parameters many operations share, described once.</summary>
    private static void DescribeParameter(OpenApiParameter parameter)
    {
        if (parameter.Schema is not OpenApiSchema schema) return;
        switch ((parameter.In, parameter.Name))
        {
            case (ParameterLocation.Path, "idOrKey"):
                parameter.Description ??= "The KPI's id (a UUID) or its key, e.g. defect-rate.";
                schema.MaxLength = KpiDefinition.KeyMaxLength;
                break;
            case (ParameterLocation.Path, "period"):
                parameter.Description ??= "Any instant, date or label inside the period: 2026-07-14, 2026-W29, 2026-07, 2026-Q3, 2026.";
                schema.MaxLength = MeasurementLimits.PeriodMaxLength;
                break;
            case (ParameterLocation.Query, "cursor"):
                parameter.Description ??= "The nextCursor of the previous page; leave it out for the first page.";
                schema.MaxLength = Paging.MaxCursorLength;
                break;
            case (ParameterLocation.Query, "limit"):
                parameter.Description ??= "How many items a page holds.";
                break;
        }
        if (parameter.In != ParameterLocation.Header) return;
        switch (parameter.Name)
        {
            case "If-Match":
                parameter.Description ??= "The ETag you last read (e.g. \"3\"), or * for whatever version is current; a stale one is answered with 412.";
                schema.Pattern = "^(\\*|\"[0-9]{1,19}\")$";
                schema.MaxLength = 21;
                break;
            case IdempotencyKey.Header:
                parameter.Description = "Any 1 to " + IdempotencyKey.MaxLength + " visible ASCII characters, e.g. a UUID, new for each new request. " +
                    "A retry with the same key and body gets the first answer again (with Idempotent-Replayed: true); the same key with " +
                    "another body is refused with 422, and a retry while the first is still running with 409. Keys are kept at least 24 hours.";
                schema.Pattern = "^[!-~]+$";
                schema.MaxLength = IdempotencyKey.MaxLength;
                schema.MinLength = 1;
                break;
        }
    }
}
