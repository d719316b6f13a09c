using System.Data.Common;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Users;

/// <summary>
/// An admin sets a person's password (a forgotten one, or a first one for an OIDC-only person). The person's
/// sessions end, since whoever was signed in may not be them; the admin's own current session is kept.
/// </summary>
public static class SetUserPassword
{
    public sealed record Command(Guid UserId, string Password, string? CurrentSession) : ICommand;

    public sealed record Body(string Password);

    public static async Task<NoContent> Endpoint(Guid userId, Body body, ISender sender, HttpRequest request, CancellationToken ct)
    {
        await sender.Send(new Command(userId, body.Password, request.Cookies[SessionAuthenticationHandler.CookieName(request)]), ct);
        return TypedResults.NoContent();
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Password).Password();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var keep = command.CurrentSession is { Length: > 0 } session && caller.Kind == CallerKind.Session && caller.UserId == command.UserId
                ? SessionAuthenticationHandler.Hash(session)
                : null;
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (!await Passwords.SetAsync(connection, transaction, audit, command.UserId, command.Password, keep, "setPassword", clock.GetUtcNow(), ct))
                throw new NotFoundException($"User '{command.UserId}' was not found.");
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
