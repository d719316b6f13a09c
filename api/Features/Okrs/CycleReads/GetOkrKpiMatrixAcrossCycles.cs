using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Mediator;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// The OKR–KPI matrix of every cycle that lies within a range of days, oldest first, in one table: JSON (one matrix per
/// cycle) or one CSV whose cycle column tells them apart. Closed cycles show their KPIs as they stood at their end.
/// </summary>
public static class GetOkrKpiMatrixAcrossCycles
{
    public sealed record Query(DateOnly? From, DateOnly? To, string? Format) : IQuery<Response>;

    /// <param name="Cycles">The matrix of each cycle within from..to, by start date.</param>
    public sealed record Response(DateOnly From, DateOnly To, IReadOnlyList<GetOkrKpiMatrix.Response> Cycles);

    public static async Task<Results<Ok<Response>, GetOkrKpiMatrix.CsvDownload>> Endpoint(HttpRequest request, ISender sender, CancellationToken ct,
        DateOnly? from = null, DateOnly? to = null, string? format = null)
    {
        format ??= request.Headers.Accept.ToString().Contains(GetOkrKpiMatrix.CsvMediaType, StringComparison.OrdinalIgnoreCase) ? "csv" : "json";
        var matrix = await sender.Send(new Query(from, to, format), ct);
        return format == "csv"
            ? new GetOkrKpiMatrix.CsvDownload(matrix.Cycles, $"{matrix.From:yyyy-MM-dd}-to-{matrix.To:yyyy-MM-dd}")
            : TypedResults.Ok(matrix);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.From).NotNull().WithMessage("from is required: the first day of the range (YYYY-MM-DD).");
            RuleFor(q => q.To).NotNull().WithMessage("to is required: the last day of the range (YYYY-MM-DD).");
            RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).When(q => q.From is not null && q.To is not null)
                .WithMessage("to must not be before from.");
            RuleFor(q => q.Format).OneOf(["json", "csv"]).WithMessage("format must be json or csv.");
        }
    }

    public sealed class Handler(DbDataSource db, OkrReader reader, Organisation organisation, TimeProvider clock) : IQueryHandler<Query, Response>
    {
        internal const string CyclesSql = """
            SELECT c.Id, (SELECT COUNT(*) FROM Objective AS o WHERE o.CycleId = c.Id) AS ObjectiveCount
            FROM Cycle AS c
            WHERE c.StartDate >= @From AND c.EndDate <= @To
            ORDER BY c.StartDate, c.EndDate, c.Id
            """;

        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            var (from, to) = (query.From!.Value, query.To!.Value);
            await using var connection = await db.OpenConnectionAsync(ct);
            var cycles = (await connection.QueryAsync<CycleCount>(new CommandDefinition(CyclesSql, new { From = from, To = to }, cancellationToken: ct))).ToList();
            if (cycles.Count > OkrLimits.MaxCyclesPerMatrix)
                throw new UnprocessableException($"{cycles.Count} cycles lie within {from:yyyy-MM-dd} to {to:yyyy-MM-dd}; the matrix answers for up to "
                    + $"{OkrLimits.MaxCyclesPerMatrix} at once. Ask for a shorter range.");
            if (cycles.Sum(c => c.ObjectiveCount) > OkrLimits.MaxObjectivesPerCycleRead)
                throw new UnprocessableException($"The cycles within {from:yyyy-MM-dd} to {to:yyyy-MM-dd} hold more than {OkrLimits.MaxObjectivesPerCycleRead} "
                    + "objectives together; ask for a shorter range.");

            var now = clock.GetUtcNow();
            var matrices = new List<GetOkrKpiMatrix.Response>();
            foreach (var cycle in cycles)
                matrices.Add(await GetOkrKpiMatrix.BuildAsync(connection, cycle.Id, reader, organisation, now, ct));
            return new Response(from, to, matrices);
        }

        private sealed class CycleCount
        {
            public Guid Id { get; init; }
            public long ObjectiveCount { get; init; }
        }
    }
}
