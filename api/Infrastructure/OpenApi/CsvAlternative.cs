using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>Marks an endpoint whose 200 answer is JSON or, on request, the same data as a CSV download.</summary>
public sealed class CsvAlternative
{
    public const string MediaType = "text/csv";
}

/// <summary>
/// Adds text/csv beside application/json on the 200 of endpoints marked <see cref="CsvAlternative"/>. API Explorer keeps
/// one response type per status code, so produces-metadata alone would replace the JSON schema instead of adding to it.
/// </summary>
public sealed class CsvAlternativeOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<CsvAlternative>().Any()) return;
        if (operation.Responses?.TryGetValue("200", out var ok) != true || ok is not OpenApiResponse response) return;
        response.Content ??= new Dictionary<string, IOpenApiMediaType>();
        response.Content[CsvAlternative.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
    }
}
