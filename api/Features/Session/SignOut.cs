using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Session;

/// <summary>Ends this session on the server (the cookie alone would survive a cleared browser tab) and clears the cookies.</summary>
public static class SignOut
{
    public sealed record Command(string? Session) : ICommand;

    public static async Task<NoContent> Endpoint(ISender sender, HttpContext http, CancellationToken ct)
    {
        var cookie = SessionAuthenticationHandler.CookieName(http.Request);
        await sender.Send(new Command(http.Request.Cookies[cookie]), ct);
        http.Response.Cookies.Delete(cookie, new CookieOptions { Path = "/", Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict, HttpOnly = true });
        http.Response.Cookies.Delete(Csrf.CookieName, new CookieOptions { Path = "/", Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict });
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command>
    {
        private const string EndSql = "DELETE FROM UserSession WHERE IdHash = @IdHash";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            if (command.Session is not { Length: > 0 } session || caller.Kind != CallerKind.Session) return Unit.Value;
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(EndSql, new { IdHash = SessionAuthenticationHandler.Hash(session) }, transaction, cancellationToken: ct));
            await audit.RecordAsync(connection, transaction, "session", caller.UserId!, "signOut", null, null, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
