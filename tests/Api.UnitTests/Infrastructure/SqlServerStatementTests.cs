using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;

using OkrKpi.Api.Testing;

namespace OkrKpi.Api.UnitTests.Infrastructure;

/// <summary>
/// No SQL Server is needed to catch T-SQL syntax errors: every statement the SQL Server provider can send
/// is parsed here on every run. Handler SQL is found by convention: every const string named *Sql in the
/// API assembly, except those named Sqlite* or declared by a type named Sqlite*, which only the SQLite provider sends.
/// </summary>
public sealed partial class SqlServerStatementTests
{
    public static IEnumerable<TestCaseData> HandlerStatements() =>
        typeof(Program).Assembly.GetTypes().Where(type => !type.Name.StartsWith("Sqlite", StringComparison.Ordinal))
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(field => field is { IsLiteral: true } && field.FieldType == typeof(string)
                    && field.Name.EndsWith("Sql", StringComparison.Ordinal) && !field.Name.StartsWith("Sqlite", StringComparison.Ordinal))
                .Select(field => new TestCaseData((string)field.GetRawConstantValue()!).SetArgDisplayNames($"{type.FullName}.{field.Name}")));

    public static IEnumerable<TestCaseData> MigrationScripts() =>
        Directory.GetFiles(RepositoryFiles.PathOf("db", "sqlserver"), "*.sql").Order()
            .Select(path => new TestCaseData(File.ReadAllText(path)).SetArgDisplayNames(Path.GetFileName(path)));

    [TestCaseSource(nameof(HandlerStatements))]
    public void Handler_statement_parses_as_t_sql(string sql) => AssertParses(ExpandDapperLists(sql));

    [TestCaseSource(nameof(MigrationScripts))]
    public void Migration_script_parses_as_t_sql(string script) => AssertParses(script);

    [Test]
    public void Finds_the_handler_statements_by_convention()
    {
        Assert.That(HandlerStatements().Count(), Is.GreaterThanOrEqualTo(20));
    }

    [Test]
    public void Rejects_sqlite_only_syntax_so_the_check_can_fail()
    {
        var errors = Parse("SELECT Id FROM Kpi ORDER BY Id LIMIT 5");

        Assert.That(errors, Is.Not.Empty);
    }

    private static void AssertParses(string sql)
    {
        var errors = Parse(sql);
        Assert.That(errors.Select(e => $"line {e.Line}: {e.Message}"), Is.Empty, sql);
    }

    private static IList<ParseError> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }

    // Dapper turns "IN @Ids" into "IN (@Ids1, @Ids2, …)" before sending; parse what SQL Server receives.
    private static string ExpandDapperLists(string sql) => DapperList().Replace(sql, m => $"IN (@{m.Groups[1].Value}1, @{m.Groups[1].Value}2)");

    [GeneratedRegex(@"IN @(\w+)")]
    private static partial Regex DapperList();
}
