using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Users;

/// <summary>
/// A signed-in person changes their own password, proving the current one; their other sessions end, so a
/// browser left signed in elsewhere (or a stolen cookie) stops working, while this one stays signed in.
/// </summary>
public static class ChangeOwnPassword
{
    public sealed record Command(string CurrentPassword, string NewPassword, string? CurrentSession) : ICommand;

    public sealed record Body(string CurrentPassword, string NewPassword);

    public static async Task<NoContent> Endpoint(Body body, ISender sender, HttpRequest request, CancellationToken ct)
    {
        await sender.Send(new Command(body.CurrentPassword, body.NewPassword, request.Cookies[SessionAuthenticationHandler.CookieName(request)]), ct);
        return TypedResults.NoContent();
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CurrentPassword).Must(p => !string.IsNullOrEmpty(p)).WithMessage("currentPassword is required.")
                .MaximumLength(People.MaxPasswordLength).WithMessage($"currentPassword must be at most {People.MaxPasswordLength} characters.");
            RuleFor(c => c.NewPassword).Password();
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, SignInLimiter limiter, AuditLog audit)
        : ICommandHandler<Command>
    {
        private const string FindSql = "SELECT PasswordHash FROM AppUser WHERE Id = @Id";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var userId = caller.UserId ?? throw new UnauthenticatedException("Sign in to change your password.");
            // Guessing the current password here is guessing a sign-in: it counts against the same per-account limit.
            limiter.Count(People.NormalizeEmail(caller.Email));

            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var hash = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(FindSql, new { Id = userId }, transaction, cancellationToken: ct));
            if (People.VerifyPassword(hash, command.CurrentPassword) == People.Verification.Failed)
                throw new ValidationException([new("currentPassword", "The current password is wrong.")]);

            var keep = command.CurrentSession is { Length: > 0 } session && caller.Kind == CallerKind.Session
                ? SessionAuthenticationHandler.Hash(session)
                : null;
            await Passwords.SetAsync(connection, transaction, audit, userId, command.NewPassword, keep, "changePassword", clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}

/// <summary>Setting a password, as both the person and an admin do it.</summary>
internal static class Passwords
{
    private const string SetSql = "UPDATE AppUser SET PasswordHash = @PasswordHash, Version = Version + 1, UpdatedAt = @Now WHERE Id = @Id";

    /// <summary>Stores the new hash and ends every session of the person but <paramref name="keepSessionHash"/>; false when there is no such person.</summary>
    public static async Task<bool> SetAsync(DbConnection connection, DbTransaction transaction, AuditLog audit, Guid userId, string password,
        string? keepSessionHash, string action, DateTimeOffset now, CancellationToken ct)
    {
        var before = await UserResponse.LoadAsync(connection, userId, ct, transaction);
        if (before is null) return false;
        await connection.ExecuteAsync(new CommandDefinition(SetSql, new { Id = userId, PasswordHash = People.HashPassword(password), Now = now }, transaction, cancellationToken: ct));
        await UserWrites.EndSessionsAsync(connection, transaction, userId, keepSessionHash, ct);
        var after = (await UserResponse.LoadAsync(connection, userId, ct, transaction))!;
        // The representations say only that a password exists; the audit log never holds the password or its hash.
        await audit.RecordAsync(connection, transaction, "user", userId, action, before, after, now, ct);
        return true;
    }
}
