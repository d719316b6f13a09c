using OkrKpi.Api.Testing;

namespace OkrKpi.Api.UnitTests.Infrastructure;

public sealed class MigrationScriptTests
{
    private static string[] NamesIn(string dialect) =>
        Directory.GetFiles(RepositoryFiles.PathOf("db", dialect), "*.sql").Select(Path.GetFileName).Order().ToArray()!;

    [Test]
    public void Every_sqlite_script_has_a_sql_server_twin_with_the_same_name()
    {
        Assert.That(NamesIn("sqlite"), Is.Not.Empty);
        Assert.That(NamesIn("sqlserver"), Is.EqualTo(NamesIn("sqlite")));
    }

    [Test]
    public void Scripts_are_numbered_without_gaps_so_order_is_unambiguous()
    {
        var numbers = NamesIn("sqlite").Select(name => int.Parse(name[..4])).ToArray();

        Assert.That(numbers, Is.EqualTo(Enumerable.Range(1, numbers.Length).ToArray()));
    }
}
