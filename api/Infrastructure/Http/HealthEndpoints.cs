using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>Liveness says the process answers; readiness also asks the database.</summary>
public static class HealthEndpoints
{
    public static readonly HealthCheckOptions Live = new() { Predicate = _ => false, ResponseWriter = Write };

    public static readonly HealthCheckOptions Ready = new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = Write };

    // Written by hand: reflection-based serialization of a first response costs tens of milliseconds at cold start.
    private static async Task Write(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString().ToLowerInvariant());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries) json.WriteString(name, entry.Status.ToString().ToLowerInvariant());
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync();
    }
}
