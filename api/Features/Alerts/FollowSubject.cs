using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Alerts;

/// <summary>What the caller follows: alerts about it reach them as they reach the owning team's members.</summary>
public sealed record FollowsResponse(IReadOnlyList<Guid> KpiIds, IReadOnlyList<Guid> ObjectiveIds);

/// <summary>
/// Follows or stops following a KPI (by id or key) or an objective; following twice, or stopping what one does not
/// follow, changes nothing. Everyone signed in may follow anything they can read.
/// </summary>
public static class FollowSubject
{
    public enum Subject { Kpi, Objective }

    public sealed record Command(Subject Type, string Reference, bool Follow) : ICommand<FollowsResponse>;

    public sealed record Query : IQuery<FollowsResponse>;

    public static async Task<Ok<FollowsResponse>> FollowKpi(string idOrKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Command(Subject.Kpi, idOrKey, true), ct));

    public static async Task<Ok<FollowsResponse>> UnfollowKpi(string idOrKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Command(Subject.Kpi, idOrKey, false), ct));

    public static async Task<Ok<FollowsResponse>> FollowObjective(Guid objectiveId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Command(Subject.Objective, objectiveId.ToString(), true), ct));

    public static async Task<Ok<FollowsResponse>> UnfollowObjective(Guid objectiveId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Command(Subject.Objective, objectiveId.ToString(), false), ct));

    /// <summary>What the caller follows.</summary>
    public static async Task<Ok<FollowsResponse>> List(ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new Query(), ct));

    private const string ListSql = "SELECT SubjectType, SubjectId FROM Follow WHERE UserId = @UserId ORDER BY CreatedAt, SubjectId";

    internal static async Task<FollowsResponse> FollowsAsync(DbConnection connection, Guid userId, CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<(string Type, Guid Id)>(new CommandDefinition(ListSql, new { UserId = userId }, cancellationToken: ct))).ToList();
        return new FollowsResponse(rows.Where(r => r.Type == "kpi").Select(r => r.Id).ToList(), rows.Where(r => r.Type == "objective").Select(r => r.Id).ToList());
    }

    public sealed class ListHandler(DbDataSource db, Caller caller) : IQueryHandler<Query, FollowsResponse>
    {
        public async ValueTask<FollowsResponse> Handle(Query query, CancellationToken ct)
        {
            var userId = caller.UserId ?? throw new UnauthenticatedException("Sign in to follow KPIs and objectives.");
            await using var connection = await db.OpenConnectionAsync(ct);
            return await FollowsAsync(connection, userId, ct);
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller) : ICommandHandler<Command, FollowsResponse>
    {
        private const string FollowSql = """
            INSERT INTO Follow (UserId, SubjectType, SubjectId, CreatedAt)
            SELECT @UserId, @Type, @Id, @Now
            WHERE NOT EXISTS (SELECT 1 FROM Follow WHERE UserId = @UserId AND SubjectType = @Type AND SubjectId = @Id)
            """;

        private const string UnfollowSql = "DELETE FROM Follow WHERE UserId = @UserId AND SubjectType = @Type AND SubjectId = @Id";

        private const string ObjectiveExistsSql = "SELECT COUNT(*) FROM Objective WHERE Id = @Id";

        public async ValueTask<FollowsResponse> Handle(Command command, CancellationToken ct)
        {
            var userId = caller.UserId ?? throw new UnauthenticatedException("Sign in to follow KPIs and objectives.");
            await using var connection = await db.OpenConnectionAsync(ct);
            Guid id;
            if (command.Type == Subject.Kpi)
                id = (await KpiRow.FindAsync(connection, command.Reference, ct) ?? throw new NotFoundException(Measurements.MeasurementRules.UnknownKpi(command.Reference))).Id;
            else
            {
                id = Guid.Parse(command.Reference);
                if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(ObjectiveExistsSql, new { Id = id }, cancellationToken: ct)) == 0)
                    throw new NotFoundException($"Objective '{id}' was not found.");
            }
            await connection.ExecuteAsync(new CommandDefinition(command.Follow ? FollowSql : UnfollowSql, new
            {
                UserId = userId, Type = command.Type == Subject.Kpi ? "kpi" : "objective", Id = id, Now = clock.GetUtcNow(),
            }, cancellationToken: ct));
            return await FollowsAsync(connection, userId, ct);
        }
    }
}
