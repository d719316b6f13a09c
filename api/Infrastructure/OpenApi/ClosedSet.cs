using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// Marks a string (or the strings of a list) of a response that is always one of a closed set, named by the static
/// member that holds it (e.g. <c>Scopes.All</c>), so the API document lists the very values the code uses.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ClosedSetAttribute(Type holder, string member) : Attribute
{
    public IReadOnlyList<string> Values { get; } =
        ((IEnumerable)(holder.GetField(member, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null)
            ?? holder.GetProperty(member, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!))
        .Cast<object>().Select(v => v.ToString()!).ToList();
}

/// <summary>Documents properties marked <see cref="ClosedSetAttribute"/> as an enum of their values.</summary>
public sealed class ClosedSetSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } model || context.Type is null) return;
        foreach (var property in context.Type.GetProperties())
        {
            if (property.GetCustomAttribute<ClosedSetAttribute>() is not { } set) continue;
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!model.Properties.TryGetValue(name, out var existing)) continue;
            var documented = ValidationRulesDocumentation.Editable(existing);
            var target = documented.Items is { } items ? ValidationRulesDocumentation.Editable(items) : documented;
            target.Enum = set.Values.Select(v => (JsonNode)v).ToList();
            if (documented.Items is not null) documented.Items = target;
            model.Properties[name] = documented;
        }
    }
}
