using System.Net.Http.Headers;
using System.Text;
using Dapper;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>Sends import bodies as a client would, and counts what the database holds, for the import and export tests.</summary>
internal static class MeasurementImports
{
    public const string ImportUrl = "/api/v1/measurements/import";

    /// <summary>A CSV body; the text is sent exactly as given (no byte order mark unless it contains one).</summary>
    public static HttpContent Csv(string text) => Body(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8");

    public static HttpContent Ndjson(string text) => Body(Encoding.UTF8.GetBytes(text), "application/x-ndjson");

    public static HttpContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    public static Task<HttpResponseMessage> ImportAsync(HttpClient api, HttpContent body, string query = "", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ImportUrl + query) { Content = body };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return api.SendAsync(request);
    }

    /// <summary>Rows in KpiMeasurement and in KpiMeasurementHistory: what an import that stores nothing must leave as it found.</summary>
    public static async Task<(long Current, long History)> StoredRowsAsync()
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        var current = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM KpiMeasurement");
        var history = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM KpiMeasurementHistory");
        return (current, history);
    }
}
