using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Tokens;

/// <summary>
/// Revokes an API token: its next request fails. The row stays, with its revocation time, for the record. Someone
/// else's token is "not found" to anyone but an admin, so ids reveal nothing; revoking twice changes nothing. An If-Match,
/// when sent, must name the current version.
/// </summary>
public static class RevokeToken
{
    public sealed record Command(Guid TokenId, long? ExpectedVersion = null) : ICommand;

    public static async Task<NoContent> Endpoint(Guid tokenId, [Microsoft.AspNetCore.Mvc.FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(tokenId, Infrastructure.Http.ETags.Optional(ifMatch)), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command>
    {
        private const string RevokeSql = "UPDATE ApiToken SET RevokedAt = @Now, Version = Version + 1 WHERE Id = @Id AND RevokedAt IS NULL AND Version = @Version";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var before = await TokenResponse.LoadAsync(connection, command.TokenId, now, ct, transaction);
            if (before is null || (before.UserId != caller.UserId && !caller.IsAdmin))
                throw new NotFoundException($"API token '{command.TokenId}' was not found.");
            if (before.RevokedAt is not null) return Unit.Value;
            if (command.ExpectedVersion is { } expected && expected != before.Version)
                throw new PreconditionFailedException($"API token '{command.TokenId}' has changed since you read it (now version {before.Version}).");

            ETags.EnsureUpdated(await connection.ExecuteAsync(new CommandDefinition(RevokeSql, new { Id = command.TokenId, Now = now, before.Version }, transaction, cancellationToken: ct)),
                $"API token '{command.TokenId}'");
            var after = (await TokenResponse.LoadAsync(connection, command.TokenId, now, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "token", command.TokenId, "revoke", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
