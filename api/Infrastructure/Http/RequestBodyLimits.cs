using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace OkrKpi.Api.Infrastructure.Http;

public sealed class RequestLimitsOptions
{
    /// <summary>Default for JSON endpoints; a route that needs more declares it with WithRequestSizeLimit-style metadata.</summary>
    public long JsonBodyBytes { get; set; } = 256 * 1024;
}

/// <summary>
/// A small body limit for every endpoint unless its metadata says otherwise. A declared Content-Length
/// over the limit is refused before a byte is read; a chunked body is cut off by Kestrel at the same limit.
/// </summary>
public sealed class RequestBodyLimits(RequestDelegate next, Microsoft.Extensions.Options.IOptions<RequestLimitsOptions> options)
{
    public Task InvokeAsync(HttpContext http)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? options.Value.JsonBodyBytes;

        if (http.Request.ContentLength > limit)
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;

        return next(http);
    }
}
