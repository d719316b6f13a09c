using System.Text;
using OkrKpi.Api.Infrastructure.Import;

namespace OkrKpi.Api.UnitTests.Infrastructure;

public sealed class ImportFormatsTests
{
    private static async Task<List<(long Line, string Json)>> NdjsonLinesAsync(byte[] body, int maxLine = 1024)
    {
        var lines = new List<(long, string)>();
        await foreach (var (line, json) in ImportFormats.ReadNdjsonAsync(new MemoryStream(body), maxLine, CancellationToken.None))
            lines.Add((line, Encoding.UTF8.GetString(json)));
        return lines;
    }

    [Test]
    public async Task Reads_ndjson_lines_with_their_numbers_skipping_blank_lines_a_bom_and_carriage_returns()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"a\":1}\r\n\r\n  \n{\"b\":2}")).ToArray();

        var lines = await NdjsonLinesAsync(body);

        Assert.That(lines, Is.EqualTo(new[] { (1L, "{\"a\":1}"), (4L, "{\"b\":2}") }));
    }

    [Test]
    public void Refuses_an_ndjson_line_longer_than_the_limit()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}\n" + new string('x', 200));

        var failure = Assert.ThrowsAsync<ImportFileException>(() => NdjsonLinesAsync(body, maxLine: 100));

        Assert.That(failure!.Message, Does.Contain("Line 2"));
    }

    [Test]
    public async Task Reads_csv_columns_by_header_name_in_any_order_and_case_with_rfc_4180_quoting()
    {
        var csv = "Value,KPI,period,note\r\n1.5,defect-rate,2026-07-14,\"a, \"\"quoted\"\"\nnote\"\r\n2,downtime,2026-07-14,\r\n";
        var records = new List<ImportRecord>();

        await foreach (var record in ImportFormats.ReadCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), ["kpi", "period", "value", "note", "externalId"], ["kpi", "period", "value"], 4096, CancellationToken.None))
            records.Add(record);

        Assert.That(records.Select(r => r.Line), Is.EqualTo(new[] { 2L, 4L }));
        Assert.That(records[0].Fields, Is.EqualTo(new string?[] { "defect-rate", "2026-07-14", "1.5", "a, \"quoted\"\nnote", null }));
        Assert.That(records[1].Fields, Is.EqualTo(new string?[] { "downtime", "2026-07-14", "2", null, null }));
    }

    [TestCase("kpi,period\n", "Missing column(s): value")]
    [TestCase("kpi,period,value,colour\n", "Unknown column(s): colour")]
    [TestCase("kpi,period,value,value\n", "Repeated column(s): value")]
    [TestCase("", "empty")]
    public void Refuses_a_header_that_does_not_fit(string csv, string reason)
    {
        var failure = Assert.ThrowsAsync<ImportFileException>(async () =>
        {
            await foreach (var _ in ImportFormats.ReadCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), ["kpi", "period", "value", "note"], ["kpi", "period", "value"], 4096, CancellationToken.None)) { }
        });

        Assert.That(failure!.Field, Is.EqualTo("header"));
        Assert.That(failure.Message, Does.Contain(reason));
    }

    [TestCase("text/csv", ImportFormat.Csv)]
    [TestCase("text/csv; charset=utf-8", ImportFormat.Csv)]
    [TestCase("application/x-ndjson", ImportFormat.Ndjson)]
    [TestCase("application/jsonl", ImportFormat.Ndjson)]
    [TestCase("text/csv; charset=latin1", null)]
    [TestCase("application/json", null)]
    [TestCase(null, null)]
    public void Recognises_the_import_media_types(string? contentType, ImportFormat? format)
    {
        Assert.That(ImportFormats.FromContentType(contentType), Is.EqualTo(format));
    }
}
