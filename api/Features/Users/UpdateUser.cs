using System.Data.Common;
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
        public async ValueTask<UserResponse> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var before = await UserResponse.LoadAsync(connection, command.UserId, ct, transaction)
                ?? throw new NotFoundException($"User '{command.UserId}' was not found.");

            await UserWrites.ReplaceAsync(connection, transaction,
                new UserRowChange(command.UserId, command.ExpectedVersion, command.DisplayName, command.Role!.Value, command.Disabled!.Value, command.TeamIds!),
                $"User '{command.UserId}'", before.Version, now, ct);
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
