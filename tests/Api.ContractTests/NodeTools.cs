using System.Diagnostics;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.ContractTests;

/// <summary>
/// Runs a Node tool of the repository (Spectral, the TypeScript check) from its folder under tests/, where `make test`
/// and `.ci/run` have installed its pinned packages with `npm ci`.
/// </summary>
internal static class NodeTools
{
    public static string Folder(params string[] parts) => RepositoryFiles.PathOf(["tests", .. parts]);

    public static async Task<(int ExitCode, string Output)> RunAsync(string folder, string npmScript, TimeSpan patience)
    {
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
            Assert.Fail($"{folder} has no node_modules: run `make tools` (make test does) or `npm ci` there.");
        var start = new ProcessStartInfo("npm", ["run", "--silent", npmScript])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(patience);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
