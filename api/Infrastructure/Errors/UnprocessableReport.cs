using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;

using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>
/// A 422 that reports item by item why a request was refused (an atomic import or batch that stored nothing): a problem
/// (application/problem+json, with its type, title, status, detail and code) whose extension members are the report's
/// own fields. A client that reads every error as a problem and one that reads the report both find what they need.
/// </summary>
public sealed class UnprocessableReport<TReport>(TReport report, string detail)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TReport>, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status422UnprocessableEntity;

    public TReport Value => report;

    object? IValueHttpResult.Value => report;

    public async Task ExecuteAsync(HttpContext http)
    {
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status422UnprocessableEntity, Detail = detail };
        foreach (var member in JsonSerializer.SerializeToElement(report, json).EnumerateObject())
            problem.Extensions[member.Name] = member.Value;
        http.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new() { HttpContext = http, ProblemDetails = problem });
    }

    // The report's type under problem+json: the API document makes it the problem with the report's members (ProblemSchemas.Carrying).
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status422UnprocessableEntity, typeof(TReport), ["application/problem+json"]));
}

/// <summary>What a refused import says in its problem's detail.</summary>
public static class ImportReports
{
    public static string Refusal(bool dryRun, long rejected) => dryRun
        ? $"{rejected} rows would be refused; nothing was stored (dry run). See errors."
        : $"Nothing was stored: {rejected} rows were refused, and the import is atomic (mode=partial stores the others). See errors.";
}
