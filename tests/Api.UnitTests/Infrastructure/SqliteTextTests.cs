using System.Globalization;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.UnitTests.Infrastructure;

/// <summary>Instants are stored in SQLite as fixed-width UTC text; they read back as the same UTC instant.</summary>
public sealed class SqliteTextTests
{
    private static readonly DateTimeOffset[] Instants =
    [
        new(2026, 7, 15, 9, 30, 12, TimeSpan.Zero),
        new DateTimeOffset(2026, 7, 15, 11, 30, 12, TimeSpan.FromHours(2)).AddTicks(1234567),
        new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero).AddTicks(9999999),
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
    ];

    [Test]
    public void Writes_fixed_width_utc_text_that_sorts_in_time_order()
    {
        var texts = Instants.Select(Database.SqliteText).ToArray();

        Assert.That(texts, Has.All.Length.EqualTo(28).And.All.EndsWith("Z"));
        Assert.That(texts[1], Is.EqualTo("2026-07-15T09:30:12.1234567Z"));
    }

    [Test]
    public void Reads_back_what_it_wrote_as_the_same_utc_instant()
    {
        foreach (var instant in Instants)
        {
            var read = Database.ParseSqliteText(Database.SqliteText(instant));
            Assert.That(read, Is.EqualTo(instant));
            Assert.That(read.Offset, Is.EqualTo(TimeSpan.Zero));
        }
    }

    [TestCase("2026-07-15T09:30:12Z")]
    [TestCase("2026-07-15T09:30:12.1234567+00:00")]
    [TestCase("2026-07-15 09:30:12.1234567Z")]
    public void Reads_instants_written_in_other_forms_as_utc(string text)
    {
        var read = Database.ParseSqliteText(text);

        Assert.That(read.UtcDateTime, Is.EqualTo(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime));
        Assert.That(read.Offset, Is.EqualTo(TimeSpan.Zero));
    }
}
