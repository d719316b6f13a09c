using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>
/// The framework's health checks, answered ahead of authentication: a probe needs no credentials, and a bearer token it
/// carries is not checked against the database. Liveness says the process answers and runs no check; readiness also
/// asks the database.
/// </summary>
public static class HealthProbes
{
    public const string ReadyTag = "ready";

    public static IApplicationBuilder UseHealthProbes(this IApplicationBuilder app) => app
        .UseHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
        .UseHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });

    // The framework's own writer answers in plain text; probes and people read this JSON. A check's reason is one of
    // the fixed texts of our checks, never an exception's message.
    private static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries) json.WriteString(name, Name(entry.Status));
        json.WriteEndObject();
        var reasons = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy && e.Value.Description is not null).ToList();
        if (reasons.Count > 0)
        {
            json.WriteStartObject("reasons");
            foreach (var (name, entry) in reasons) json.WriteString(name, entry.Description);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        await json.FlushAsync();
    }

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();
}
