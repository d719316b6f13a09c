using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Session;

/// <summary>
/// Signs a person in with email and password: a new session (never a reused id) in an HttpOnly cookie, and a fresh
/// CSRF token in the readable XSRF-TOKEN cookie. Wrong email, wrong password and a disabled person answer alike.
/// </summary>
public static class SignIn
{
    public sealed record Command(string Email, string Password, string? PreviousSession) : ICommand<Result>;

    public sealed record Body(string Email, string Password);

    public sealed record Result(SessionResponse Session, string Secret);

    public static async Task<Ok<SessionResponse>> Endpoint(Body body, ISender sender, HttpContext http, IAntiforgery antiforgery, CancellationToken ct)
    {
        var cookie = SessionAuthenticationHandler.CookieName(http.Request);
        var (session, secret) = await sender.Send(new Command(body.Email, body.Password, http.Request.Cookies[cookie]), ct);
        http.Response.Cookies.Append(cookie, secret, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            // No Expires: a browser-session cookie ends with the browser, and the server ends the session at its
            // absolute timeout anyway; an Expires would be judged by the client's clock, not the server's.
        });
        // The antiforgery token is bound to the person, so it is issued for the one just signed in.
        http.User = Caller.Principal(SessionAuthenticationHandler.SchemeName, CallerKind.Session, session.User.Id, session.User.Email,
            session.User.DisplayName, session.User.Role);
        Csrf.IssueToken(http, antiforgery);
        return TypedResults.Ok(session);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Email).Must(e => !string.IsNullOrWhiteSpace(e)).WithMessage("email is required.")
                .MaximumLength(UserResponse.EmailMaxLength).WithMessage($"email must be at most {UserResponse.EmailMaxLength} characters.");
            RuleFor(c => c.Password).Must(p => !string.IsNullOrEmpty(p)).WithMessage("password is required.")
                .MaximumLength(People.MaxPasswordLength).WithMessage($"password must be at most {People.MaxPasswordLength} characters.");
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, SignInLimiter limiter, IOptionsMonitor<SessionCookieOptions> sessions,
        AuditLog audit, ILogger<Handler> logger) : ICommandHandler<Command, Result>
    {
        private const string FindSql = "SELECT Id, PasswordHash, Disabled FROM AppUser WHERE EmailNormalized = @EmailNormalized";
        private const string RehashSql = "UPDATE AppUser SET PasswordHash = @PasswordHash WHERE Id = @Id";
        private const string EndSessionSql = "DELETE FROM UserSession WHERE IdHash = @IdHash";
        private const string StartSessionSql = """
            INSERT INTO UserSession (IdHash, UserId, CreatedAt, LastSeenAt, ExpiresAt)
            VALUES (@IdHash, @UserId, @Now, @Now, @ExpiresAt)
            """;

        private sealed class Row
        {
            public Guid Id { get; init; }
            public string? PasswordHash { get; init; }
            public bool Disabled { get; init; }
        }

        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            var normalized = People.NormalizeEmail(command.Email);
            limiter.Count(normalized);

            await using var connection = await db.OpenConnectionAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(FindSql, new { EmailNormalized = normalized }, cancellationToken: ct));
            var verified = People.VerifyPassword(row?.PasswordHash, command.Password);
            if (row is null || row.Disabled || verified == People.Verification.Failed)
            {
                logger.LogWarning("Failed sign-in");
                throw new UnauthenticatedException("The email or the password is wrong.");
            }

            var now = clock.GetUtcNow();
            var expiresAt = now.AddHours(sessions.Get(SessionAuthenticationHandler.SchemeName).AbsoluteHours);
            var secret = SessionAuthenticationHandler.NewSecret();
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (verified == People.Verification.SucceededRehashNeeded)
                await connection.ExecuteAsync(new CommandDefinition(RehashSql, new { row.Id, PasswordHash = People.HashPassword(command.Password) }, transaction, cancellationToken: ct));
            if (command.PreviousSession is { Length: > 0 } previous)
                await connection.ExecuteAsync(new CommandDefinition(EndSessionSql, new { IdHash = SessionAuthenticationHandler.Hash(previous) }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(StartSessionSql,
                new { IdHash = SessionAuthenticationHandler.Hash(secret), UserId = row.Id, Now = now, ExpiresAt = expiresAt }, transaction, cancellationToken: ct));
            var user = (await UserResponse.LoadAsync(connection, row.Id, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "session", user.Id, "signIn", null, null, now, ct, actor: user.Email);
            await transaction.CommitAsync(ct);

            return new Result(new SessionResponse(user, SessionAuthenticationHandler.SchemeName, null, null, expiresAt), secret);
        }
    }
}
