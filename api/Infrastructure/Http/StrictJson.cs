using System.Text.Json;
using System.Text.Json.Serialization;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>
/// JSON the API accepts is strict: numbers are numbers, enums are their names, unknown and duplicate
/// properties are errors. A lenient parser lets typos pass as "field not sent".
/// </summary>
public static class StrictJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }
}
