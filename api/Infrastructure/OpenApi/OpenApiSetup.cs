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
                Description = "OKRs and KPIs in one system. Errors are RFC 9457 problem details; lists are cursor-paged; " +
                              "updates need If-Match with the ETag you read.",
            });
            options.CustomSchemaIds(SchemaId);
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            SecurityDocumentation.Add(options);
            options.OperationFilter<CsvAlternativeOperationFilter>();
        });

    /// <summary>Serves the API description and Swagger UI under /swagger.</summary>
    public static IApplicationBuilder UseOpenApiDocument(this IApplicationBuilder app) => app
        .UseSwagger()
        .UseSwaggerUI(SwaggerUi.Configure);

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
