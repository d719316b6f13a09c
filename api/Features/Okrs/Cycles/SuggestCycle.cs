using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Offers the next cycle: the first whole quarter after the latest cycle ends, or the current quarter (in the
/// organisation's time zone) when there is no cycle yet. POST /cycles with an empty body creates exactly this.
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

        internal const string LatestEndSql = "SELECT MAX(EndDate) FROM Cycle";

        internal static async Task<Suggestion> SuggestAsync(DbConnection connection, DbTransaction? transaction, Organisation organisation, TimeProvider clock, CancellationToken ct)
        {
            var latestEnd = await connection.ExecuteScalarAsync<DateOnly?>(new CommandDefinition(LatestEndSql, transaction: transaction, cancellationToken: ct));
            return Next(latestEnd, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), organisation.TimeZone).DateTime));
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

        private static DateOnly QuarterStart(DateOnly day) => new(day.Year, (day.Month - 1) / 3 * 3 + 1, 1);
    }
}
