using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Teams;

/// <summary>Moves a team under another parent (or to the top with null), refusing moves that would make a loop.</summary>
public static class MoveTeam
{
    public sealed record Command(Guid TeamId, long? ExpectedVersion, Guid? ParentTeamId) : ICommand<TeamResponse>;

    public sealed record Body(Guid? ParentTeamId);

    public static async Task<Ok<TeamResponse>> Endpoint(Guid teamId, Body body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var team = await sender.Send(new Command(teamId, ETags.Required(ifMatch), body.ParentTeamId), ct);
        ETags.Set(response, team.Version);
        return TypedResults.Ok(team);
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command, TeamResponse>
    {
        // Walks up from the new parent; meeting the moved team on the way means the move closes a loop.
        // SQLite and SQL Server both accept a recursive CTE without the RECURSIVE keyword.
        private const string WouldLoopSql = """
            WITH Ancestor (Id, ParentTeamId) AS (
                SELECT Id, ParentTeamId FROM Team WHERE Id = @ParentTeamId
                UNION ALL
                SELECT t.Id, t.ParentTeamId FROM Team AS t INNER JOIN Ancestor AS a ON t.Id = a.ParentTeamId
            )
            SELECT COUNT(*) FROM Ancestor WHERE Id = @TeamId
            """;

        private const string ParentExistsSql = "SELECT COUNT(*) FROM Team WHERE Id = @ParentTeamId";

        private const string UpdateSql = """
            UPDATE Team
            SET ParentTeamId = @ParentTeamId, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @TeamId AND (@ExpectedVersion IS NULL OR Version = @ExpectedVersion)
            """;

        public async ValueTask<TeamResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var team = await TeamResponse.LoadAsync(connection, command.TeamId, ct, transaction)
                ?? throw new NotFoundException($"Team '{command.TeamId}' was not found.");
            if (command.ExpectedVersion is { } expected && expected != team.Version)
                throw new PreconditionFailedException($"Team '{command.TeamId}' has changed since you read it (now version {team.Version}).");

            if (command.ParentTeamId is { } parentId)
            {
                if (parentId == command.TeamId)
                    throw new ConflictException("A team cannot be its own parent.");
                var parentExists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ParentExistsSql, new { ParentTeamId = parentId }, transaction, cancellationToken: ct));
                if (parentExists == 0)
                    throw new ValidationException([new("parentTeamId", $"Team '{parentId}' does not exist.")]);
                var loops = await connection.ExecuteScalarAsync<long>(new CommandDefinition(WouldLoopSql, new { ParentTeamId = parentId, command.TeamId }, transaction, cancellationToken: ct));
                if (loops > 0)
                    throw new ConflictException($"Team '{parentId}' is below team '{command.TeamId}'; moving there would make a loop.");
            }

            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                command.TeamId,
                ExpectedVersion = team.Version,
                command.ParentTeamId,
                Now = now,
            }, transaction, cancellationToken: ct));

            var moved = await TeamResponse.LoadAsync(connection, command.TeamId, ct, transaction);
            await audit.RecordAsync(connection, transaction, TeamResponse.AuditEntity, command.TeamId, "move", team, moved, now, ct);
            await transaction.CommitAsync(ct);
            return moved!;
        }
    }
}
