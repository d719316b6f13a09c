using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>
/// The problem body of an error answered without one. A bare 400 from parameter binding (the compile-time request
/// delegates answer an unparsable optional query value that way, without an exception) is turned into a
/// validation problem naming each parameter whose value does not parse; everything else gets a plain problem.
/// </summary>
public static class UnreadableParameters
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        var errors = http.Response.StatusCode == StatusCodes.Status400BadRequest ? Unparsable(http) : [];

        var problem = errors.Count > 0
            ? new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Detail = "The request has invalid fields; see errors." }
            : new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = http.Response.StatusCode };
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    private static Dictionary<string, string[]> Unparsable(HttpContext http)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var parameter in http.GetEndpoint()?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [])
        {
            if (!parameter.HasTryParse) continue;
            var raw = http.Request.RouteValues.TryGetValue(parameter.Name, out var route) ? route?.ToString() : http.Request.Query[parameter.Name].ToString();
            var type = Nullable.GetUnderlyingType(parameter.ParameterInfo.ParameterType) ?? parameter.ParameterInfo.ParameterType;
            if (!string.IsNullOrEmpty(raw) && !Parses(raw, type))
                errors[parameter.Name] = [$"'{raw}' is not a valid value."];
        }
        return errors;
    }

    private static bool Parses(string raw, Type type) => type switch
    {
        _ when type == typeof(int) => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(long) => long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(decimal) => decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(bool) => bool.TryParse(raw, out _),
        _ when type == typeof(Guid) => Guid.TryParse(raw, out _),
        _ when type == typeof(DateOnly) => DateOnly.TryParse(raw, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(DateTimeOffset) => DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, out _),
        { IsEnum: true } => Enum.TryParse(type, raw, ignoreCase: true, out _),
        _ => true,
    };
}
