using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Teams;

/// <summary>Adds a team to the organisation chart, optionally under a parent team.</summary>
public static class CreateTeam
{
    public sealed record Command(string Name, Guid? ParentTeamId) : ICommand<TeamResponse>;

    public static async Task<Created<TeamResponse>> Endpoint(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var team = await sender.Send(command, ct);
        ETags.Set(response, team.Version);
        return TypedResults.Created($"/api/v1/teams/{team.Id}", team);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Name).TeamName();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command, TeamResponse>
    {
        // INSERT … SELECT: zero rows means the named parent does not exist; no check-then-insert race.
        private const string InsertSql = """
            INSERT INTO Team (Id, Name, NameNormalized, ParentTeamId, Version, CreatedAt, UpdatedAt)
            SELECT @Id, @Name, @NameNormalized, @ParentTeamId, 1, @Now, @Now
            WHERE @ParentTeamId IS NULL OR EXISTS (SELECT 1 FROM Team WHERE Id = @ParentTeamId)
            """;

        public async ValueTask<TeamResponse> Handle(Command command, CancellationToken ct)
        {
            var id = Guid.CreateVersion7();
            var name = command.Name.Trim();
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            int inserted;
            try
            {
                inserted = await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
                {
                    Id = id,
                    Name = name,
                    NameNormalized = TeamResponse.Normalize(name),
                    command.ParentTeamId,
                    Now = now,
                }, transaction, cancellationToken: ct));
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                throw new ConflictException($"A team named '{name}' already exists.");
            }

            if (inserted == 0)
                throw new ValidationException([new("parentTeamId", $"Team '{command.ParentTeamId}' does not exist.")]);

            var team = (await TeamResponse.LoadAsync(connection, id, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, TeamResponse.AuditEntity, id, "create", null, team, now, ct);
            await transaction.CommitAsync(ct);
            return team;
        }
    }
}
