using Microsoft.Extensions.FileProviders;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>
/// Serves the browser client (the built client/dist) from the API's own origin, so the SameSite=Strict session cookie
/// and the XSRF-TOKEN echo work without CORS: files as they are, and index.html for every other page address.
/// </summary>
public static class ClientApp
{
    /// <summary>Vite names these by content hash: a changed file gets a new name, so browsers may keep them forever.</summary>
    private const string HashedAssets = "/assets";

    private static readonly string[] ApiPrefixes = ["/api", "/health", "/swagger"];

    // The client needs nothing from another origin; inline styles only through the CSSOM (React, uPlot), which CSP allows.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Serves `Client:DistPath` (default client/dist under the content root) when it holds an index.html; without a
    /// built client the API runs alone, as it does in the .NET tests.
    /// </summary>
    public static IApplicationBuilder UseClientApp(this WebApplication app)
    {
        var configured = app.Configuration["Client:DistPath"];
        var root = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine("client", "dist") : configured, app.Environment.ContentRootPath);
        var index = new FileInfo(Path.Combine(root, "index.html"));
        if (!index.Exists)
        {
            app.Logger.LogInformation("No browser client at {ClientRoot} (build it with `make run` or `npm run build` in client/); serving the API only.", root);
            return app;
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                file.Context.Request.Path.StartsWithSegments(HashedAssets) ? "public, max-age=31536000, immutable" : "no-cache",
        });
        return app.Use(next => http => IsPageAddress(http.Request) ? SendIndexAsync(http, index) : next(http));
    }

    /// <summary>
    /// A page of the client: a GET outside the API whose last segment has no file extension, or any browser navigation
    /// (Accept: text/html), because a KPI key may contain a dot (/kpis/sales.eu). A missing hashed asset stays a 404.
    /// </summary>
    private static bool IsPageAddress(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        var path = request.Path;
        if (ApiPrefixes.Any(prefix => path.StartsWithSegments(prefix)) || path.StartsWithSegments(HashedAssets)) return false;
        return !Path.HasExtension(path.Value) || request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    private static Task SendIndexAsync(HttpContext http, FileInfo index)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.ContentLength = index.Length;
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : http.Response.SendFileAsync(index.FullName);
    }
}
