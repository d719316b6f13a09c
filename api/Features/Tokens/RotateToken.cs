using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Tokens;

/// <summary>
/// Gives a token a new secret, shown once in this answer, and a new expiry as far ahead as its last lifetime was long.
/// The previous secret keeps working for the grace period (Tokens:RotationGraceHours, default 24 h), so the integration
/// can be switched over without one failed delivery. Its owner or an admin rotates it, naming the version read (If-Match).
/// </summary>
public static class RotateToken
{
    public sealed record Command(Guid TokenId, long? ExpectedVersion) : ICommand<CreateToken.Response>;

    public static async Task<Ok<CreateToken.Response>> Endpoint(Guid tokenId, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var token = await sender.Send(new Command(tokenId, ETags.Required(ifMatch)), ct);
        response.Headers.CacheControl = "no-store";
        ETags.Set(response, token.Version);
        return TypedResults.Ok(token);
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, IOptions<TokenOptions> options)
        : ICommandHandler<Command, CreateToken.Response>
    {
        private const string RotateSql = """
            UPDATE ApiToken
            SET SecretHash = @SecretHash, PreviousSecretHash = SecretHash, PreviousSecretExpiresAt = @PreviousSecretExpiresAt,
                RotatedAt = @Now, ExpiresAt = @ExpiresAt, Version = Version + 1
            WHERE Id = @Id AND Version = @Version
            """;

        public async ValueTask<CreateToken.Response> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var before = await TokenResponse.LoadAsync(connection, command.TokenId, now, ct, transaction);
            if (before is null || (before.UserId != caller.UserId && !caller.IsAdmin))
                throw new NotFoundException($"API token '{command.TokenId}' was not found.");
            if (command.ExpectedVersion is { } expected && expected != before.Version)
                throw new PreconditionFailedException($"API token '{command.TokenId}' has changed since you read it (now version {before.Version}).");
            if (before.RevokedAt is not null)
                throw new ConflictException($"API token '{command.TokenId}' is revoked; create a new one instead.");
            if (before.ExpiresAt <= now)
                throw new ConflictException($"API token '{command.TokenId}' has expired; create a new one instead.");

            var (token, _, secretHash) = ApiTokens.New();
            var lifetime = before.ExpiresAt - (before.RotatedAt ?? before.CreatedAt);
            var grace = now.AddHours(options.Value.RotationGraceHours);
            ETags.EnsureUpdated(await connection.ExecuteAsync(new CommandDefinition(RotateSql, new
            {
                Id = command.TokenId,
                // The new secret keeps the token's public id: only the part after it changes.
                SecretHash = secretHash,
                PreviousSecretExpiresAt = grace < before.ExpiresAt ? grace : before.ExpiresAt,
                Now = now,
                ExpiresAt = now + lifetime,
                before.Version,
            }, transaction, cancellationToken: ct)), $"API token '{command.TokenId}'");

            var after = (await TokenResponse.LoadAsync(connection, command.TokenId, now, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "token", command.TokenId, "rotate", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return CreateToken.Response.Of(WithPublicId(token, before.PublicId), after);
        }

        private static string WithPublicId(string token, string publicId) =>
            $"{ApiTokenAuthenticationHandler.Prefix}{publicId}_{ApiTokens.Parse(token)!.Value.Secret}";
    }
}
