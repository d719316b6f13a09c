using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Tokens;

/// <summary>
/// A signed-in person creates an API token for an integration: scopes no wider than their role, optionally only some
/// KPIs or one receiver, and an expiry of at most a year. An admin may create it for a service account instead
/// (serviceAccountId), with scopes no wider than the account's role. The token text is in this answer and nowhere else;
/// the database keeps its hash.
/// </summary>
public static class CreateToken
{
    public const int MaxExpiresInDays = 365;
    public const int MaxKpiKeys = 100;

    public sealed record Command(string Name, IReadOnlyList<string>? Scopes, IReadOnlyList<string>? KpiKeys, int? ExpiresInDays,
        Guid? ServiceAccountId = null, Guid? ReceiverId = null) : ICommand<Response>;

    /// <summary>The token, shown once, and what <see cref="TokenResponse"/> says of it.</summary>
    public sealed record Response(string Token, Guid Id, string PublicId, Guid UserId, string Name,
        [property: Infrastructure.OpenApi.ClosedSet(typeof(Scopes), nameof(Scopes.All))] IReadOnlyList<string> Scopes,
        IReadOnlyList<string>? KpiKeys, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt,
        bool ExpiresSoon, DateTimeOffset? RotatedAt, DateTimeOffset? PreviousSecretExpiresAt, string? LastUsedFrom, Guid? ReceiverId, bool ServiceAccount, long Version)
    {
        internal static Response Of(string token, TokenResponse t) => new(token, t.Id, t.PublicId, t.UserId, t.Name, t.Scopes, t.KpiKeys,
            t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, t.ExpiresSoon, t.RotatedAt, t.PreviousSecretExpiresAt, t.LastUsedFrom,
            t.ReceiverId, t.ServiceAccount, t.Version);
    }

    public static async Task<Created<Response>> Endpoint(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var token = await sender.Send(command, ct);
        // The secret must not linger in any cache between here and the client.
        response.Headers.CacheControl = "no-store";
        Infrastructure.Http.ETags.Set(response, token.Version);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", token);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).NotBlank().WithMessage("name is required.")
                .MaximumTrimmedLength(TokenResponse.NameMaxLength)
                .WithMessage($"name must be at most {TokenResponse.NameMaxLength} characters.");
            RuleFor(c => c.Scopes).NotNull().WithMessage($"scopes is required: one or more of {string.Join(", ", Scopes.All)}.")
                .ItemCount(1, Scopes.All.Count).WithMessage($"scopes must name at least one of {string.Join(", ", Scopes.All)}.")
                .Must(scopes => scopes is null || scopes.Distinct().Count() == scopes.Count).WithMessage("scopes must not name a scope twice.");
            RuleForEach(c => c.Scopes).OneOf(Scopes.All)
                .WithMessage((_, scope) => $"'{scope}' is not a scope; use {string.Join(", ", Scopes.All)}.");
            RuleFor(c => c.KpiKeys)
                .ItemCount(1, MaxKpiKeys).WithMessage($"kpiKeys must list 1 to {MaxKpiKeys} KPI keys, or be left out for every KPI.")
                // A missing key is reported for its own item (below); the other keys are compared with one another.
                .Must(keys => keys is null || keys.OfType<string>().Select(KpiDefinition.NormalizeKey).Distinct().Count() == keys.OfType<string>().Count())
                .WithMessage("kpiKeys must not name a KPI twice.");
            RuleForEach(c => c.KpiKeys).NotBlank().WithMessage("A KPI key is required here.").MaximumLength(KpiDefinition.KeyMaxLength);
            RuleFor(c => c.ExpiresInDays).NotNull().WithMessage($"expiresInDays is required: every token expires, after 1 to {MaxExpiresInDays} days.")
                .InclusiveBetween(1, MaxExpiresInDays).WithMessage($"expiresInDays must be between 1 and {MaxExpiresInDays}.");
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command, Response>
    {
        private const string InsertSql = """
            INSERT INTO ApiToken (Id, PublicId, SecretHash, Name, UserId, Scopes, KpiKeys, CreatedAt, ExpiresAt, RevokedAt, LastUsedAt, ReceiverId, Version)
            VALUES (@Id, @PublicId, @SecretHash, @Name, @UserId, @Scopes, @KpiKeys, @Now, @ExpiresAt, NULL, NULL, @ReceiverId, 1)
            """;

        private const string ServiceAccountRoleSql = "SELECT Role FROM AppUser WHERE Id = @Id AND IsServiceAccount = 1";
        private const string ReceiverExistsSql = "SELECT COUNT(*) FROM Receiver WHERE Id = @Id";

        private const string KnownKeysSql = "SELECT KeyNormalized FROM Kpi WHERE KeyNormalized IN @Keys";

        public async ValueTask<Response> Handle(Command command, CancellationToken ct)
        {
            var userId = caller.UserId ?? throw new UnauthenticatedException("Sign in to create an API token.");
            var now = clock.GetUtcNow();
            var keys = command.KpiKeys?.Select(KpiDefinition.NormalizeKey).ToList();
            var id = Guid.CreateVersion7();
            var (token, publicId, secretHash) = ApiTokens.New();

            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var (owner, role, whose) = (userId, caller.Role, "you are");
            if (command.ServiceAccountId is { } account)
            {
                if (!caller.IsAdmin) throw new ForbiddenException("Only an admin can create tokens for a service account.");
                var accountRole = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(ServiceAccountRoleSql, new { Id = account }, transaction, cancellationToken: ct))
                    ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("serviceAccountId", $"There is no service account '{account}'.")]);
                (owner, role, whose) = (account, Enum.Parse<Role>(accountRole), "the service account is");
            }
            // A token acts for its owner, so it can hold no scope the owner's role could not use.
            if (command.Scopes!.FirstOrDefault(scope => Scopes.RoleNeeded(scope) > role) is { } beyond)
                throw new ForbiddenException($"The scope '{beyond}' needs the {Scopes.RoleNeeded(beyond).ToString().ToLowerInvariant()} role; {whose} {role.ToString().ToLowerInvariant()}.");
            if (command.ReceiverId is { } receiver
                && await connection.ExecuteScalarAsync<int>(new CommandDefinition(ReceiverExistsSql, new { Id = receiver }, transaction, cancellationToken: ct)) == 0)
                throw new ValidationException([new FluentValidation.Results.ValidationFailure("receiverId", $"There is no receiver '{receiver}'.")]);
            if (keys is not null)
            {
                var known = (await connection.QueryAsync<string>(new CommandDefinition(KnownKeysSql, new { Keys = keys }, transaction, cancellationToken: ct))).ToHashSet();
                var unknown = keys.Select((key, i) => (key, i)).Where(k => !known.Contains(k.key))
                    .Select(k => new FluentValidation.Results.ValidationFailure($"kpiKeys[{k.i}]", $"There is no KPI with the key '{command.KpiKeys![k.i].Trim()}'.")).ToList();
                if (unknown.Count > 0) throw new ValidationException(unknown);
            }

            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Id = id,
                PublicId = publicId,
                SecretHash = secretHash,
                Name = command.Name.Trim(),
                UserId = owner,
                command.ReceiverId,
                Scopes = ApiTokens.JoinScopes(command.Scopes!),
                KpiKeys = ApiTokens.JoinKpiKeys(keys),
                Now = now,
                ExpiresAt = now.AddDays(command.ExpiresInDays!.Value),
            }, transaction, cancellationToken: ct));

            var created = (await TokenResponse.LoadAsync(connection, id, now, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "token", id, "create", null, created, now, ct);
            await transaction.CommitAsync(ct);
            return Response.Of(token, created);
        }
    }
}
