using System.Data.Common;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Users;

/// <summary>An admin adds a person; without a password they can sign in only through the identity provider (OIDC).</summary>
public static class CreateUser
{
    public sealed record Command(string Email, string DisplayName, Role? Role, string? Password, IReadOnlyList<Guid>? TeamIds) : ICommand<UserResponse>;

    public static async Task<Created<UserResponse>> Endpoint(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var user = await sender.Send(command, ct);
        ETags.Set(response, user.Version);
        return TypedResults.Created($"/api/v1/users/{user.Id}", user);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Email).Email();
            RuleFor(c => c.DisplayName).DisplayName();
            RuleFor(c => c.Role).NotNull().WithMessage("role is required: admin, editor or viewer.");
            RuleFor(c => c.Password).PasswordLength();
            RuleFor(c => c.TeamIds).TeamIds();
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command, UserResponse>
    {
        public async ValueTask<UserResponse> Handle(Command command, CancellationToken ct)
        {
            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            try
            {
                await People.InsertAsync(connection, transaction, id, command.Email, command.DisplayName, command.Role!.Value, command.Password, now, ct);
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                // Emails are compared ignoring case: Ann@x and ann@x are one person.
                throw new ConflictException($"A person with the email '{command.Email.Trim()}' already exists.");
            }
            await UserWrites.ReplaceTeamsAsync(connection, transaction, id, command.TeamIds ?? [], ct);

            var user = (await UserResponse.LoadAsync(connection, id, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "user", id, "create", null, user, now, ct);
            await transaction.CommitAsync(ct);
            return user;
        }
    }
}
