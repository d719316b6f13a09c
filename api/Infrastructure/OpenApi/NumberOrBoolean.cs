using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>Marks a measurement value: a JSON number, or true/false for a boolean KPI (never a string).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class NumberOrBooleanAttribute : Attribute;

/// <summary>Documents properties marked <see cref="NumberOrBooleanAttribute"/> as <c>number | boolean</c>.</summary>
public sealed class NumberOrBooleanSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } model || context.Type is null) return;
        foreach (var property in context.Type.GetProperties().Where(p => p.IsDefined(typeof(NumberOrBooleanAttribute), inherit: true)))
        {
            var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!model.Properties.TryGetValue(name, out var existing)) continue;
            // OpenAPI 3.0 allows null only beside a type, so a value that may be null says so on its number branch; one
            // left out when null is simply not required (DocumentTidy).
            var omitted = property.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true)
                .OfType<System.Text.Json.Serialization.JsonIgnoreAttribute>().Any(a => a.Condition == System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
            var nullable = !omitted && Nullable(property) && model.Required?.Contains(name) != true;
            if (omitted) DocumentTidy.MarkOmittedWhenNull(model, name);
            model.Properties[name] = new OpenApiSchema
            {
                Description = existing.Description ?? "A number; true or false for a boolean KPI.",
                OneOf =
                [
                    new OpenApiSchema { Type = nullable ? JsonSchemaType.Number | JsonSchemaType.Null : JsonSchemaType.Number },
                    new OpenApiSchema { Type = JsonSchemaType.Boolean },
                ],
            };
        }
    }

    private static bool Nullable(System.Reflection.PropertyInfo property) =>
        System.Nullable.GetUnderlyingType(property.PropertyType) is not null
        || new System.Reflection.NullabilityInfoContext().Create(property).ReadState == System.Reflection.NullabilityState.Nullable;
}
