using System.Diagnostics;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.ContractTests;

/// <summary>
/// Runs the tools the contract tests drive: a Node tool (Spectral, the TypeScript check) from its folder under tests/,
/// where `make test` and `.ci/run` have installed its pinned packages with `npm ci`, or a script of the repository.
/// </summary>
internal static class RepositoryTools
{
    public static string Folder(params string[] parts) => RepositoryFiles.PathOf(["tests", .. parts]);

    public static Task<(int ExitCode, string Output)> RunAsync(string folder, string npmScript, TimeSpan patience)
    {
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
            Assert.Fail($"{folder} has no node_modules: run `make tools` (make test does) or `npm ci` there.");
        return RunProgramAsync("npm", ["run", "--silent", npmScript], folder, patience);
    }

    /// <summary>Runs a program to its end (or <paramref name="patience"/>) and returns its exit code and all it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunProgramAsync(string program, string[] arguments, string folder, TimeSpan patience)
    {
        var start = new ProcessStartInfo(program, arguments)
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
