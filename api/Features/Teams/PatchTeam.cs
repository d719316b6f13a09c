using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Teams;

/// <summary>
/// Renames a team, moves it under another parent, or both at once (JSON Merge Patch, If-Match): one change, one
/// version, one audit entry, or nothing when a rule refuses either part.
/// </summary>
public static class PatchTeam
{
    public sealed record Body(string Name, Guid? ParentTeamId);

    public sealed record Command(Guid TeamId, long ExpectedVersion, string Name, Guid? ParentTeamId) : ICommand<TeamResponse>;

    public static async Task<Ok<TeamResponse>> Endpoint(Guid teamId, HttpRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, IOptions<JsonOptions> json, HttpResponse response, CancellationToken ct)
    {
        var team = await MergePatch.UpdateAsync(request, ifMatch, $"Team '{teamId}'",
            read: () => sender.Send(new GetTeam.Query(teamId), ct).AsTask(),
            version: current => current.Version,
            asBody: current => new Body(current.Name, current.ParentTeamId),
            update: (current, body) => sender.Send(new Command(teamId, current.Version, body.Name, body.ParentTeamId), ct).AsTask(),
            json.Value.SerializerOptions, ct);
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
            SET Name = @Name, NameNormalized = @NameNormalized, ParentTeamId = @ParentTeamId, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @TeamId AND Version = @ExpectedVersion
            """;

        public async ValueTask<TeamResponse> Handle(Command command, CancellationToken ct)
        {
            var name = command.Name.Trim();
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var before = await TeamResponse.LoadAsync(connection, command.TeamId, ct, transaction)
                ?? throw new NotFoundException($"Team '{command.TeamId}' was not found.");
            if (command.ExpectedVersion != before.Version)
                throw new PreconditionFailedException($"Team '{command.TeamId}' has changed since you read it (now version {before.Version}).");
            if (command.ParentTeamId != before.ParentTeamId)
                await TeamRules.EnsureParentFitsAsync(connection, transaction, command.TeamId, command.ParentTeamId, ct);
            int updated;
            try
            {
                updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
                {
                    command.TeamId,
                    command.ExpectedVersion,
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
            ETags.EnsureUpdated(updated, $"Team '{command.TeamId}'");

            var team = (await TeamResponse.LoadAsync(connection, command.TeamId, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, TeamResponse.AuditEntity, command.TeamId, "update", before, team, now, ct);
            await transaction.CommitAsync(ct);
            return team;
        }
    }
}
