using Microsoft.OpenApi;
using OkrKpi.Api.Infrastructure.Http;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// Documents a PATCH body (<see cref="MergePatchOf"/>) as what RFC 7396 makes of the full replacement's body: every
/// member optional; null clears a member the resource may lack, while a member it must have can be changed, not cleared.
/// The schema is named after the body with "MergePatch" appended.
/// </summary>
public sealed class MergePatchDocumentation : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<MergePatchOf>().LastOrDefault() is not { } patchOf) return;
        if (context.SchemaGenerator.GenerateSchema(patchOf.Body, context.SchemaRepository) is not OpenApiSchemaReference full) return;

        var id = PatchOf(full.Reference.Id!, context);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The members to change, as application/merge-patch+json.",
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                [MergePatch.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(id, context.Document) },
            },
        };
    }

    /// <summary>The merge-patch schema of a component, made once; nested objects are merged too, so they get one of their own.</summary>
    private static string PatchOf(string component, OperationFilterContext context)
    {
        var id = component + "MergePatch";
        if (context.SchemaRepository.Schemas.ContainsKey(id) || context.SchemaRepository.Schemas[component] is not OpenApiSchema body) return id;
        var patch = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A JSON Merge Patch (RFC 7396): the members you send replace the current ones, null clears an optional " +
                          "one, and members you leave out stay as they are.",
            AdditionalPropertiesAllowed = false,
        };
        context.SchemaRepository.AddDefinition(id, patch);
        patch.Properties = body.Properties?.ToDictionary(p => p.Key, p =>
        {
            var schema = NestedObject(p.Value, context) is { } nested
                ? new OpenApiSchemaReference(PatchOf(nested, context), context.Document)
                : p.Value;
            return body.Required?.Contains(p.Key) == true ? schema : Nullable(schema);
        });
        return id;
    }

    /// <summary>The component id of a property that holds an object (not an enum), directly or through a lone allOf.</summary>
    private static string? NestedObject(IOpenApiSchema property, OperationFilterContext context)
    {
        var reference = property as OpenApiSchemaReference ?? (property as OpenApiSchema)?.AllOf?.OfType<OpenApiSchemaReference>().SingleOrDefault();
        return reference?.Reference.Id is { } id && context.SchemaRepository.Schemas.TryGetValue(id, out var target)
            && target.Properties is { Count: > 0 } ? id : null;
    }

    /// <summary>A copy that also allows null (the body's own property schema stays as it is).</summary>
    private static IOpenApiSchema Nullable(IOpenApiSchema schema) => schema switch
    {
        OpenApiSchema { Type: { } type } own when type != 0 => WithType(own, type | JsonSchemaType.Null),
        OpenApiSchema { AllOf.Count: > 0 } wrapper => WithType(wrapper, JsonSchemaType.Null),
        _ => new OpenApiSchema { AllOf = [schema], Type = JsonSchemaType.Null },
    };

    private static OpenApiSchema WithType(OpenApiSchema schema, JsonSchemaType type)
    {
        var copy = (OpenApiSchema)schema.CreateShallowCopy();
        copy.Type = type;
        return copy;
    }
}
