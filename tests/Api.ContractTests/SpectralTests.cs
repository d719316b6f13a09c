using System.Text.Json.Nodes;

namespace OkrKpi.Api.ContractTests;

/// <summary>
/// openapi.yaml passes Spectral's OpenAPI rules and the OWASP API security ruleset (versions pinned in
/// tests/Spectral/package.json) with no error; each rule narrowed or turned off says why in .spectral.yaml.
/// </summary>
public sealed class SpectralTests
{
    [Test]
    public async Task The_api_document_has_no_spectral_error_under_the_oas_and_owasp_rulesets()
    {
        var (exitCode, output) = await RepositoryTools.RunAsync(RepositoryTools.Folder("Spectral"), "lint:json", TimeSpan.FromMinutes(3));

        var start = output.IndexOf('[');
        Assert.That(start, Is.GreaterThanOrEqualTo(0), output);
        var results = JsonNode.Parse(output[start..])!.AsArray();
        var errors = results.Where(r => r!["severity"]!.GetValue<int>() == 0)
            .Select(r => $"{r!["code"]} at {string.Join('.', r["path"]!.AsArray())}: {r["message"]}").ToList();
        TestContext.Out.WriteLine($"Spectral: {errors.Count} errors, {results.Count(r => r!["severity"]!.GetValue<int>() == 1)} warnings.");
        Assert.That(errors, Is.Empty);
        Assert.That(exitCode, Is.Zero, output[..Math.Min(output.Length, 2000)]);
    }
}
