using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Users;

/// <summary>
/// An admin changes a person's name, role, teams or disabled flag (the caller names the version read, If-Match).
/// Disabling ends all their sessions in the same transaction, and their tokens stop working with it.
/// </summary>
public static class UpdateUser
{
    public sealed record Command(Guid UserId, long? ExpectedVersion, string DisplayName, Role? Role, bool? Disabled, IReadOnlyList<Guid>? TeamIds)
        : ICommand<UserResponse>;

    public sealed record Body(string DisplayName, Role? Role, bool? Disabled, IReadOnlyList<Guid>? TeamIds);

    public static async Task<Ok<UserResponse>> Endpoint(Guid userId, Body body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var user = await sender.Send(new Command(userId, ETags.Required(ifMatch), body.DisplayName, body.Role, body.Disabled, body.TeamIds), ct);
        ETags.Set(response, user.Version);
        return TypedResults.Ok(user);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.DisplayName).DisplayName();
            RuleFor(c => c.Role).NotNull().WithMessage("role is required: admin, editor or viewer.");
            RuleFor(c => c.Disabled).NotNull().WithMessage("disabled is required.");
            RuleFor(c => c.TeamIds).NotNull().WithMessage("teamIds is required (an empty list for no team).").TeamIds();
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command, UserResponse>
    {
        private const string UpdateSql = """
            UPDATE AppUser
            SET DisplayName = @DisplayName, Role = @Role, Disabled = @Disabled, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @UserId AND (@ExpectedVersion IS NULL OR Version = @ExpectedVersion)
            """;

        public async ValueTask<UserResponse> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var before = await UserResponse.LoadAsync(connection, command.UserId, ct, transaction)
                ?? throw new NotFoundException($"User '{command.UserId}' was not found.");

            var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                command.UserId,
                command.ExpectedVersion,
                DisplayName = command.DisplayName.Trim(),
                Role = command.Role!.Value.ToString(),
                Disabled = command.Disabled!.Value,
                Now = now,
            }, transaction, cancellationToken: ct));
            if (updated == 0)
                throw new PreconditionFailedException($"User '{command.UserId}' has changed since you read it (now version {before.Version}).");

            await UserWrites.ReplaceTeamsAsync(connection, transaction, command.UserId, command.TeamIds!, ct);
            if (command.Disabled.Value)
                await UserWrites.EndSessionsAsync(connection, transaction, command.UserId, keepIdHash: null, ct);
            if (before.Role == Role.Admin && !before.Disabled)
                await UserWrites.EnsureAnEnabledAdminRemainsAsync(connection, transaction, ct);

            var after = (await UserResponse.LoadAsync(connection, command.UserId, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "user", command.UserId, "update", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return after;
        }
    }
}
