using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A really full disk: the real server in its own process keeps its SQLite file on a small tmpfs that a filler file then
/// fills. Writes answer 507 as problem details with nothing half-written, reads go on, and once the filler is deleted
/// the same writes succeed. Mounting a tmpfs needs root (as CI runs); elsewhere the test says so and is skipped.
/// </summary>
[Category("Process")]
public sealed class FullDiskTests
{
    private string _mount = null!;
    private string _database = null!;
    private string _filler = null!;

    [SetUp]
    public void MountASmallDisk()
    {
        _mount = Path.Combine(Path.GetTempPath(), $"okrkpi-full-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_mount);
        if (Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", _mount) != 0)
        {
            Directory.Delete(_mount);
            Assert.Ignore("Mounting a small tmpfs needs root; run as root (as CI does) to test a full disk.");
        }
        _database = Path.Combine(_mount, "okrkpi.db");
        _filler = Path.Combine(_mount, "filler");
    }

    [TearDown]
    public void Unmount()
    {
        if (_database is null) return;
        SqliteConnection.ClearAllPools();
        Run("umount", "-l", _mount);
        Directory.Delete(_mount, recursive: true);
    }

    [Test]
    public async Task Answers_507_on_a_full_disk_keeps_nothing_half_written_and_writes_again_once_space_returns()
    {
        using var server = await ApiProcess.StartAsync(_database);
        var client = server.Client;
        Assert.That((await client.PostAsJsonAsync("/api/v1/kpis", Kpi())).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await client.PostAsJsonAsync("/api/v1/kpis/full-disk/measurements", new { period = "2026-01-01", value = 1 })).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
        var csv = Csv(days: 5_000);
        FillTheDisk();

        var import = await client.PostAsync("/api/v1/measurements/import", csv);
        var push = await client.PostAsJsonAsync("/api/v1/measurements/batch", new { items = Items(days: 2_000) });

        foreach (var refused in new[] { import, push })
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.InsufficientStorage), $"{await refused.Content.ReadAsStringAsync()}\n{server.Output}");
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("insufficient-storage"));
        }
        Assert.That(await ValuesAsync(), Is.EqualTo(1), "nothing of the refused writes is stored");
        Assert.That((await client.GetAsync("/api/v1/kpis/full-disk/measurements")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads go on");

        File.Delete(_filler);

        var retried = await client.PostAsync("/api/v1/measurements/import", Csv(days: 5_000));
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retried.Content.ReadAsStringAsync());
        var pushed = await client.PostAsJsonAsync("/api/v1/kpis/full-disk/measurements", new { period = "2026-01-02", value = 2 });
        Assert.That(pushed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await pushed.Content.ReadAsStringAsync());
        Assert.That(await ValuesAsync(), Is.EqualTo(5_000));
    }

    private static object Kpi() => new
    {
        key = "full-disk", name = "Full disk", valueType = "number", frequency = "daily", unit = "count",
        target = new { comparator = "atLeast", value = 1 },
    };

    private static HttpContent Csv(int days)
    {
        var csv = new StringBuilder("kpi,period,value,note\n");
        for (var back = 0; back < days; back++)
            csv.Append("full-disk,").Append(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-back).ToString("yyyy-MM-dd")).Append(',').Append(back).Append(".125,")
                .Append('x', 40).Append('\n');
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString()));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/csv");
        return content;
    }

    private static object[] Items(int days) => Enumerable.Range(0, days)
        .Select(back => (object)new { kpi = "full-disk", period = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-back).ToString("yyyy-MM-dd"), value = back + 0.5, note = new string('y', 200) })
        .ToArray();

    /// <summary>Writes a file until the disk refuses another byte.</summary>
    private void FillTheDisk()
    {
        using var filler = new FileStream(_filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var block = new byte[4096];
        try
        {
            while (true) filler.Write(block);
        }
        catch (IOException)
        {
            // full
        }
    }

    private async Task<long> ValuesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_database};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM KpiMeasurement";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static int Run(string command, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
