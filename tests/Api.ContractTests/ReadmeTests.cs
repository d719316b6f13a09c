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
        var (exitCode, log) = await RepositoryTools.RunProgramAsync("bash", [RepositoryFiles.PathOf("tests", "Readme", "run-readme.sh"), DemoServer.ApiAssembly],
            RepositoryFiles.Root, TimeSpan.FromMinutes(5));

        Assert.That(exitCode, Is.Zero, log);
        var summary = log.Split('\n').Last(line => line.StartsWith("README:"));
        TestContext.Out.WriteLine(summary);
        Assert.That(summary, Does.Match(@"README: [1-9]\d* runnable blocks passed"));
    }
}
