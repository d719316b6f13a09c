using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>
/// Every body an endpoint reads and every response it writes has compile-time JSON metadata. A type missing from
/// ApiJsonContext still works (by reflection), so only this test notices that a new endpoint brought the slow
/// cold start back (make bench, B10).
/// </summary>
public sealed class JsonMetadataTests
{
    [Test]
    public void Every_request_and_response_type_of_an_endpoint_is_in_the_json_context()
    {
        var endpoints = ApiFixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var types = endpoints.SelectMany(endpoint =>
                endpoint.Metadata.OfType<IAcceptsMetadata>().Select(accepts => accepts.RequestType)
                    .Concat(endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(produces => produces.Type)))
            .OfType<Type>()
            // Problem details have ASP.NET Core's own metadata; a string or no body is not JSON contract work.
            .Where(type => type.Assembly == typeof(ApiJsonContext).Assembly)
            .Distinct()
            .ToList();

        Assert.That(types, Is.Not.Empty);
        Assert.That(types.Where(type => ApiJsonContext.Default.GetTypeInfo(type) is null).Select(type => type.FullName), Is.Empty,
            "Add [JsonSerializable(typeof(...))] for these to Infrastructure/Http/ApiJsonContext.cs.");
    }
}
