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

    /// <summary>The members of an enum by the names they have on the wire (camelCase, or their JsonStringEnumMemberName), in any case.</summary>
    public static IReadOnlyDictionary<string, object> EnumValues(Type enumType) =>
        enumType.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static).ToDictionary(
            field => field.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false) is [JsonStringEnumMemberNameAttribute named, ..]
                ? named.Name
                : JsonNamingPolicy.CamelCase.ConvertName(field.Name),
            field => field.GetValue(null)!,
            StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyDictionary<string, TEnum> EnumValues<TEnum>() where TEnum : struct, Enum => WireNames<TEnum>.Values;

    // Read by reflection once per enum type, not on every request or import row.
    private static class WireNames<TEnum> where TEnum : struct, Enum
    {
        public static readonly IReadOnlyDictionary<string, TEnum> Values =
            EnumValues(typeof(TEnum)).ToDictionary(e => e.Key, e => (TEnum)e.Value, StringComparer.OrdinalIgnoreCase);
    }
}
