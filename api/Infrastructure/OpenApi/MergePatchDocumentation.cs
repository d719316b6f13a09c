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

        var id = full.Reference.Id + "MergePatch";
        if (!context.SchemaRepository.Schemas.ContainsKey(id) && context.SchemaRepository.Schemas[full.Reference.Id!] is OpenApiSchema body)
        {
            context.SchemaRepository.AddDefinition(id, new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "A JSON Merge Patch (RFC 7396): the members you send replace the current ones, null clears an optional " +
                              "one, and members you leave out stay as they are.",
                Properties = body.Properties?.ToDictionary(p => p.Key, p => body.Required?.Contains(p.Key) == true ? p.Value : Nullable(p.Value)),
                AdditionalPropertiesAllowed = false,
            });
        }
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
