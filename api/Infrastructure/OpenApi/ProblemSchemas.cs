using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using OkrKpi.Api.Infrastructure.Errors;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// RFC 9457 problem details as this API writes them (Infrastructure/Errors/ProblemResponses): always a status, a
/// stable <c>code</c> and a <c>traceId</c>; <c>errors</c> (field name to reasons) on validation problems; nothing else.
/// </summary>
public sealed class ProblemSchemas : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema problem) return;
        var validation = context.Type == typeof(HttpValidationProblemDetails);
        if (!validation && context.Type != typeof(ProblemDetails)) return;

        problem.Description = validation
            ? "A validation problem: errors maps each offending field (JSON name, query parameter or header) to its reasons."
            : "An RFC 9457 problem.";
        problem.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI reference naming the kind of problem (an RFC 9110 section where one fits)."),
            ["title"] = Text("A short summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599", Description = "The HTTP status code." },
            ["detail"] = Text("What went wrong with this request, in words a person can act on."),
            ["instance"] = Text("A URI reference for this occurrence."),
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "A stable, machine-readable code for the kind of problem.",
                Enum = ProblemResponses.Codes.Select(c => (JsonNode)c).ToList(),
            },
            ["traceId"] = Text("Identifies the request in the server's logs."),
        };
        problem.Required = new HashSet<string> { "status", "code", "traceId" };
        if (validation)
        {
            problem.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Each offending field (JSON name with dots and indexes, e.g. target.warning or items[3].value; a query parameter; a header) and its reasons.",
                AdditionalProperties = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    MinItems = 1,
                    Items = Text("One reason."),
                },
            };
            problem.Required.Add("errors");
        }
        problem.AdditionalPropertiesAllowed = false;
        problem.AdditionalProperties = null;
    }

    /// <summary>
    /// A reference to the problem that carries <paramref name="report"/>'s fields as extension members (what
    /// <see cref="UnprocessableReport{TReport}"/> writes), named after the report with "Problem" appended and made once:
    /// the problem's members and the report's side by side, as one flat object, so validators and generated clients read
    /// it as it is sent. The report's members are there when the request was refused item by item or row by row; a 422
    /// for another reason (an Idempotency-Key reused for another request) is the plain problem, without them.
    /// </summary>
    public static IOpenApiSchema Carrying(Type report, OperationFilterContext context)
    {
        var reportId = ((OpenApiSchemaReference)context.SchemaGenerator.GenerateSchema(report, context.SchemaRepository)).Reference.Id!;
        var id = reportId + "Problem";
        if (!context.SchemaRepository.Schemas.ContainsKey(id))
        {
            var problemId = ((OpenApiSchemaReference)context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository)).Reference.Id!;
            var problem = (OpenApiSchema)context.SchemaRepository.Schemas[problemId];
            var fields = (OpenApiSchema)context.SchemaRepository.Schemas[reportId];
            var carrying = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"An RFC 9457 problem whose extension members are the report ({reportId}) of a request refused as a whole: " +
                              "every item's result or the rows' errors, so nothing of what the server found is lost. A 422 for another " +
                              "reason (an Idempotency-Key reused for another request) is a plain problem, without the report's members.",
                Properties = problem.Properties!.Concat(fields.Properties!).ToDictionary(p => p.Key, p => p.Value),
                Required = new HashSet<string>(problem.Required!),
                AdditionalPropertiesAllowed = false,
            };
            // Only the problem's own required members are always there (DocumentTidy would list every member of an answer).
            foreach (var optional in carrying.Properties.Keys.Except(carrying.Required))
                DocumentTidy.MarkOmittedWhenNull(carrying, optional);
            context.SchemaRepository.AddDefinition(id, carrying);
        }
        return new OpenApiSchemaReference(id, context.Document);
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
