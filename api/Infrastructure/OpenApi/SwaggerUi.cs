using Swashbuckle.AspNetCore.SwaggerUI;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>Swagger UI that works with a token (Authorize → bearer, kept across reloads) and with a signed-in session.</summary>
public static class SwaggerUi
{
    // A session-authenticated write needs the CSRF header; the UI copies it from the readable XSRF-TOKEN cookie as the SPA does.
    private const string EchoXsrfToken = """
        (request) => {
          const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
          if (match) request.headers['X-XSRF-TOKEN'] = decodeURIComponent(match[1]);
          return request;
        }
        """;

    public static void Configure(SwaggerUIOptions options)
    {
        options.DocumentTitle = "OkrKpi API";
        options.EnablePersistAuthorization();
        options.UseRequestInterceptor(EchoXsrfToken);
    }
}
