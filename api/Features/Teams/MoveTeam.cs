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

            await TeamRules.EnsureParentFitsAsync(connection, transaction, command.TeamId, command.ParentTeamId, ct);

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
