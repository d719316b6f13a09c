namespace OkrKpi.Api.ContractTests;

/// <summary>
/// A TypeScript client generated from openapi.yaml (openapi-typescript, openapi-fetch; TypeScript pinned in
/// tests/TypedClients/typescript/package.json) compiles the correct calls of calls.ts and refuses each wrong one,
/// which carries a @ts-expect-error that fails the check when the line below it compiles.
/// </summary>
public sealed class TypeScriptClientTests
{
    [Test]
    public async Task Correct_calls_compile_and_every_wrong_one_is_refused_by_the_generated_types()
    {
        var (exitCode, output) = await RepositoryTools.RunAsync(RepositoryTools.Folder("TypedClients", "typescript"), "check", TimeSpan.FromMinutes(3));

        Assert.That(exitCode, Is.Zero, output);
    }
}
