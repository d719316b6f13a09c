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
    public void Scripts_have_distinct_numbers_so_order_is_unambiguous()
    {
        // Numbers are handed out per branch of work, so one may be missing until its branch is merged; none may repeat.
        var numbers = NamesIn("sqlite").Select(name => int.Parse(name[..4])).ToArray();

        Assert.That(numbers, Is.Unique.And.Ordered);
        Assert.That(numbers[0], Is.EqualTo(1));
    }
}
