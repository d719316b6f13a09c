using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OkrKpi.Api.IntegrationTests.Security;

/// <summary>One mapped endpoint as the access tests name it ("GET /api/v1/kpis/{idOrKey}"), with the policy it states.</summary>
public sealed record MappedEndpoint(string Method, string Route, string? Policy, bool AllowsAnonymous)
{
    public const string Anonymous = "anonymous";

    public string Key => $"{Method} {Route}";

    /// <summary>What the endpoint states: "anonymous", its policy names joined by "+", or null when it states nothing.</summary>
    public string? Stated => AllowsAnonymous ? Anonymous : Policy;

    public override string ToString() => Key;
}

/// <summary>Every endpoint the application maps, read from its EndpointDataSource: what the access tests walk.</summary>
public static class MappedEndpoints
{
    public static IReadOnlyList<MappedEndpoint> All(IServiceProvider? services = null) =>
        (services ?? ApiFixture.Factory.Services).GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint =>
            {
                var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                    .Select(data => data.Policy).Where(policy => !string.IsNullOrEmpty(policy)).Distinct().ToList();
                var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
                return methods.Select(method => new MappedEndpoint(method, RouteOf(endpoint),
                    policies.Count == 0 ? null : string.Join('+', policies), anonymous));
            })
            .OrderBy(e => e.Route, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();

    /// <summary>A group's "/" child maps to "/api/v1/kpis/"; clients call it without the trailing slash.</summary>
    private static string RouteOf(RouteEndpoint endpoint)
    {
        var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
        return route;
    }
}
