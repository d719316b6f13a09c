using System.Diagnostics;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.ContractTests;

/// <summary>
/// The README works as written: tests/Readme/run-readme.sh runs each of its ```sh blocks, in order and in one shell,
/// against a freshly started demo server, and fails at the first command that fails (curl included: any 4xx or 5xx).
/// </summary>
public sealed class ReadmeTests
{
    [Test]
    public async Task Every_runnable_block_of_the_readme_succeeds_against_a_fresh_demo_server()
    {
        var start = new ProcessStartInfo("bash", [RepositoryFiles.PathOf("tests", "Readme", "run-readme.sh"), DemoServer.ApiAssembly])
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var log = await output + await errors;

        Assert.That(process.ExitCode, Is.Zero, log);
        var summary = log.Split('\n').Last(line => line.StartsWith("README:"));
        TestContext.Out.WriteLine(summary);
        Assert.That(summary, Does.Match(@"README: [1-9]\d* runnable blocks passed"));
    }
}
