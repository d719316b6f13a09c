using Microsoft.AspNetCore.Authentication;
using Microsoft.OpenApi;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>Swashbuckle set up for stable, client-friendly output: readable schema names and operationIds from WithName.</summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddOpenApiDocument(this IServiceCollection services) =>
        services.AddEndpointsApiExplorer().AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "OkrKpi API",
                Version = "v1",
                Description = "OKRs and KPIs in one system. Errors are RFC 9457 problem details with a stable `code` and a `traceId`; " +
                              "lists are cursor-paged; updates need If-Match with the ETag you read; pushes and imports accept an " +
                              "Idempotency-Key; JSON is strict (unknown or duplicate properties, numbers as strings and unknown query " +
                              "parameters are refused with 400).",
            });
            options.AddServer(new OpenApiServer
            {
                Url = "/",
                Description = "The instance serving this document: local (`make run`, http://127.0.0.1:5080) or your production deployment.",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(false) },
            });
            options.CustomSchemaIds(SchemaId);
            options.UseAllOfToExtendReferenceSchemas();
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            if (File.Exists(XmlComments)) options.IncludeXmlComments(XmlComments);
            SecurityDocumentation.Add(options);
            options.OperationFilter<OperationDocumentation>();
            options.OperationFilter<CsvAlternativeOperationFilter>();
            options.OperationFilter<MergePatchDocumentation>();
            options.OperationFilter<ResponseDocumentation>();
            options.OperationFilter<RequestExamples>();
            options.SchemaFilter<ValidationRulesDocumentation>();
            options.OperationFilter<ValidationRulesDocumentation>();
            options.SchemaFilter<NumberOrBooleanSchemaFilter>();
            options.SchemaFilter<ClosedSetSchemaFilter>();
            options.SchemaFilter<ProblemSchemas>();
            options.DocumentFilter<DocumentTidy>();
        });

    private static string XmlComments => Path.ChangeExtension(typeof(OpenApiSetup).Assembly.Location, ".xml");

    /// <summary>Serves the API description and Swagger UI under /swagger.</summary>
    /// <remarks>
    /// Who may read them is the setting <c>OpenApi:Access</c>: <c>anonymous</c> (the default: the document describes
    /// the API, every operation still needs credentials), <c>signedIn</c> (a session or token, as for any read; 401
    /// otherwise) or <c>off</c> (404).
    /// </remarks>
    public static IApplicationBuilder UseOpenApiDocument(this IApplicationBuilder app, IConfiguration configuration)
    {
        var access = configuration.GetValue("OpenApi:Access", OpenApiAccess.Anonymous);
        if (access == OpenApiAccess.Off) return app;
        // Only requests for /swagger (Swashbuckle's default paths for the document and the UI) pass through Swashbuckle:
        // its document middleware has the generator resolved for every request it sees, so an API request would
        // otherwise build one, and the first would also read the XML comments.
        return app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), branch =>
        {
            if (access == OpenApiAccess.SignedIn) branch.Use(RequireCallerAsync);
            branch.UseSwagger().UseSwaggerUI(SwaggerUi.Configure);
        });
    }

    private static async Task RequireCallerAsync(HttpContext http, RequestDelegate next)
    {
        var caller = await http.AuthenticateAsync(Security.AccessControl.Scheme);
        if (caller.Succeeded)
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Detail = "Sign in, or send an API token, to read the API document here." },
        });
    }

    /// <summary>CreateKpi+Command -> CreateKpiCommand; Page`1[TeamResponse] -> TeamResponsePage.</summary>
    public static string SchemaId(Type type)
    {
        if (type.IsGenericType)
        {
            var name = type.Name[..type.Name.IndexOf('`')];
            return string.Concat(type.GetGenericArguments().Select(SchemaId)) + name;
        }
        return type.DeclaringType is { } outer ? outer.Name + type.Name : type.Name;
    }
}

/// <summary>Who may read the API document and Swagger UI (setting OpenApi:Access).</summary>
public enum OpenApiAccess { Anonymous, SignedIn, Off }
