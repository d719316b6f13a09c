using System.Globalization;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.UnitTests.Infrastructure;

/// <summary>Instants are stored in SQLite as fixed-width UTC text; the fast reader must agree with the general parser.</summary>
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
            Assert.That(Database.TryParseSqliteText(Database.SqliteText(instant), out var read), Is.True);
            Assert.That(read, Is.EqualTo(instant));
            Assert.That(read.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(read, Is.EqualTo(DateTimeOffset.Parse(Database.SqliteText(instant), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)));
        }
    }

    [TestCase("2026-07-15T09:30:12Z")]
    [TestCase("2026-07-15T09:30:12.1234567+00:00")]
    [TestCase("2026-07-15 09:30:12.1234567Z")]
    [TestCase("2026-02-30T09:30:12.1234567Z")]
    [TestCase("2026-13-01T09:30:12.1234567Z")]
    [TestCase("2026-07-15T24:00:00.0000000Z")]
    [TestCase("2026-07-15T09:30:1x.1234567Z")]
    [TestCase("")]
    public void Leaves_any_other_text_to_the_general_parser(string text)
    {
        Assert.That(Database.TryParseSqliteText(text, out _), Is.False);
    }
}
