using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>Liveness says the process answers; readiness also asks the database.</summary>
public static class HealthEndpoints
{
    public static readonly HealthCheckOptions Live = new() { Predicate = _ => false, ResponseWriter = Write };

    public static readonly HealthCheckOptions Ready = new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = Write };

    private static Task Write(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant()),
        });
    }
}
