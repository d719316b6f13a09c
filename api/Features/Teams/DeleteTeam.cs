using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Teams;

/// <summary>Deletes a team that nothing refers to any more: no child teams and no KPIs, objectives or key results it owns.</summary>
public static class DeleteTeam
{
    public sealed record Command(Guid TeamId, long? ExpectedVersion) : ICommand;

    public static async Task<NoContent> Endpoint(Guid teamId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(teamId, ETags.Optional(ifMatch)), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command>
    {
        // COUNT(*) is INT on SQL Server and INTEGER (Int64) on SQLite; Dapper maps a record by exact
        // constructor types, so cast both to BIGINT to match Usage's longs on either dialect.
        private const string UsageSql = """
            SELECT
                (SELECT CAST(COUNT(*) AS BIGINT) FROM Team WHERE ParentTeamId = @TeamId) AS ChildTeams,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM Kpi WHERE OwnerTeamId = @TeamId) AS OwnedKpis,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM Objective WHERE OwnerTeamId = @TeamId)
                  + (SELECT CAST(COUNT(*) AS BIGINT) FROM KeyResult WHERE OwnerTeamId = @TeamId) AS OwnedOkrs
            """;

        private const string DeleteSql = "DELETE FROM Team WHERE Id = @TeamId";

        private sealed record Usage(long ChildTeams, long OwnedKpis, long OwnedOkrs);

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var team = await TeamResponse.LoadAsync(connection, command.TeamId, ct, transaction)
                ?? throw new NotFoundException($"Team '{command.TeamId}' was not found.");
            if (command.ExpectedVersion is { } expected && expected != team.Version)
                throw new PreconditionFailedException($"Team '{command.TeamId}' has changed since you read it (now version {team.Version}).");

            var usage = await connection.QuerySingleAsync<Usage>(new CommandDefinition(UsageSql, new { command.TeamId }, transaction, cancellationToken: ct));
            if (usage.ChildTeams > 0 || usage.OwnedKpis > 0 || usage.OwnedOkrs > 0)
                throw new ConflictException($"Team '{team.Name}' is still in use ({usage.ChildTeams} child teams, {usage.OwnedKpis} KPIs, "
                    + $"{usage.OwnedOkrs} objectives and key results); move or delete them first.");

            await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { command.TeamId }, transaction, cancellationToken: ct));
            await audit.RecordAsync(connection, transaction, TeamResponse.AuditEntity, command.TeamId, "delete", team, null, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
