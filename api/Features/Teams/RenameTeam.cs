using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Teams;

/// <summary>Gives a team a new name; the caller must name the version it read (If-Match).</summary>
public static class RenameTeam
{
    public sealed record Command(Guid TeamId, long? ExpectedVersion, string Name) : ICommand<TeamResponse>;

    public sealed record Body(string Name);

    public static async Task<Ok<TeamResponse>> Endpoint(Guid teamId, Body body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var team = await sender.Send(new Command(teamId, ETags.Required(ifMatch), body.Name), ct);
        ETags.Set(response, team.Version);
        return TypedResults.Ok(team);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Name).TeamName();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command, TeamResponse>
    {
        private const string UpdateSql = """
            UPDATE Team
            SET Name = @Name, NameNormalized = @NameNormalized, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @TeamId AND Version = @Version
            """;

        public async ValueTask<TeamResponse> Handle(Command command, CancellationToken ct)
        {
            var name = command.Name.Trim();
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var before = await TeamResponse.LoadAsync(connection, command.TeamId, ct, transaction)
                ?? throw new NotFoundException($"Team '{command.TeamId}' was not found.");
            if (command.ExpectedVersion is { } expected && expected != before.Version)
                throw new PreconditionFailedException($"Team '{command.TeamId}' has changed since you read it (now version {before.Version}).");
            int updated;
            try
            {
                // The version read above, again in the WHERE: on SQL Server a concurrent rename may commit in between.
                updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
                {
                    command.TeamId,
                    before.Version,
                    Name = name,
                    NameNormalized = TeamResponse.Normalize(name),
                    Now = now,
                }, transaction, cancellationToken: ct));
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                throw new ConflictException($"A team named '{name}' already exists.");
            }

            var team = (await TeamResponse.LoadAsync(connection, command.TeamId, ct, transaction))!;
            if (updated == 0)
                throw new PreconditionFailedException($"Team '{command.TeamId}' has changed since you read it (now version {team.Version}).");
            await audit.RecordAsync(connection, transaction, TeamResponse.AuditEntity, command.TeamId, "rename", before, team, now, ct);
            await transaction.CommitAsync(ct);
            return team;
        }
    }
}
