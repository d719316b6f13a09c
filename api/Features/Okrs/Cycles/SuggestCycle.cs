using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Offers the next cycle: the first whole quarter after the latest quarter (or shorter cycle) ends, or the current
/// quarter (in the organisation's time zone) when there is no cycle yet. A fiscal-year cycle enclosing the quarters does
/// not count: with 2026-Q4 the latest quarter, the next is 2027-Q1 even while FY 2026/27 runs into 2027.
/// POST /cycles with an empty body creates exactly this.
/// </summary>
public static class SuggestCycle
{
    public sealed record Query : IQuery<Suggestion>;

    public sealed record Suggestion(string Name, DateOnly StartDate, DateOnly EndDate);

    public static async Task<Ok<Suggestion>> Endpoint(ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(), ct));

    public sealed class Handler(DbDataSource db, Organisation organisation, TimeProvider clock) : IQueryHandler<Query, Suggestion>
    {
        public async ValueTask<Suggestion> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await SuggestAsync(connection, null, organisation, clock, ct);
        }

        /// <summary>The longest cycle, in days, that counts as a quarter (92 days: July to September).</summary>
        internal const int QuarterDays = 92;

        internal const string LatestEndSql = "SELECT MAX(EndDate) FROM Cycle";

        // Only the cycles of the last few years are looked at: no quarter ends before a year-long cycle's start, and
        // MaxCycleDays bounds how far back a long cycle can reach.
        internal const string RecentCyclesSql = "SELECT StartDate, EndDate FROM Cycle WHERE EndDate >= @Since";

        internal static async Task<Suggestion> SuggestAsync(DbConnection connection, DbTransaction? transaction, Organisation organisation, TimeProvider clock, CancellationToken ct)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), organisation.TimeZone).DateTime);
            var latestEnd = await connection.ExecuteScalarAsync<DateOnly?>(new CommandDefinition(LatestEndSql, transaction: transaction, cancellationToken: ct));
            if (latestEnd is not { } end) return Next(null, today);
            var recent = await connection.QueryAsync<CycleDays>(new CommandDefinition(RecentCyclesSql,
                new { Since = end.AddDays(-OkrLimits.MaxCycleDays) }, transaction, cancellationToken: ct));
            var latestQuarter = recent.Where(c => c.EndDate.DayNumber - c.StartDate.DayNumber + 1 <= QuarterDays).Select(c => (DateOnly?)c.EndDate).Max();
            return Next(latestQuarter ?? end, today);
        }

        /// <summary>The quarter holding today without cycles; otherwise the first quarter starting after the latest cycle's last day.</summary>
        internal static Suggestion Next(DateOnly? latestEnd, DateOnly today)
        {
            DateOnly start;
            if (latestEnd is not { } end)
                start = QuarterStart(today);
            else
            {
                var dayAfter = end.AddDays(1);
                start = QuarterStart(dayAfter) == dayAfter ? dayAfter : QuarterStart(dayAfter).AddMonths(3);
            }
            return new Suggestion($"{start.Year}-Q{(start.Month - 1) / 3 + 1}", start, start.AddMonths(3).AddDays(-1));
        }

        private sealed class CycleDays
        {
            public DateOnly StartDate { get; init; }
            public DateOnly EndDate { get; init; }
        }

        private static DateOnly QuarterStart(DateOnly day) => new(day.Year, (day.Month - 1) / 3 * 3 + 1, 1);
    }
}
