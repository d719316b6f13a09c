using System.Reflection;
using System.Runtime.CompilerServices;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>
/// Refuses (400, naming them) query parameters an API endpoint does not read: a misspelt filter such as
/// <c>?kpiKye=nps</c> would otherwise be ignored and the whole list answered, which looks like a filter that works.
/// The parameters an endpoint reads are those of its handler method, as the framework binds them.
/// </summary>
public sealed class UnknownQueryParameters(RequestDelegate next)
{
    private static readonly ConditionalWeakTable<Endpoint, HashSet<string>> Known = new();

    public Task InvokeAsync(HttpContext http)
    {
        if (http.Request.QueryString.HasValue && http.Request.Path.StartsWithSegments("/api") && http.GetEndpoint() is RouteEndpoint endpoint)
        {
            var known = Known.GetValue(endpoint, e => QueryParametersOf((RouteEndpoint)e));
            var unknown = http.Request.Query.Keys.Where(key => !known.Contains(key)).ToList();
            if (unknown.Count > 0)
            {
                var accepted = known.Count == 0 ? "none" : string.Join(", ", known.Order(StringComparer.Ordinal));
                throw new ValidationException(unknown.Select(name =>
                    new ValidationFailure(name, $"Unknown query parameter; this endpoint accepts: {accepted}.")));
            }
        }
        return next(http);
    }

    private static HashSet<string> QueryParametersOf(RouteEndpoint endpoint)
    {
        var route = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
        {
            var info = parameter.ParameterInfo;
            if (route.Contains(parameter.Name)) continue;
            var attributes = info.GetCustomAttributes(inherit: true);
            if (attributes.OfType<IFromQueryMetadata>().FirstOrDefault() is { } fromQuery)
            {
                names.Add(fromQuery.Name ?? parameter.Name);
                continue;
            }
            if (attributes.Any(a => a is IFromHeaderMetadata or IFromBodyMetadata or IFromServiceMetadata or IFromRouteMetadata or IFromFormMetadata)) continue;
            var type = Nullable.GetUnderlyingType(info.ParameterType) ?? info.ParameterType;
            if (parameter.HasTryParse || type == typeof(string) || type.IsPrimitive || type.IsEnum) names.Add(parameter.Name);
        }
        return names;
    }
}
