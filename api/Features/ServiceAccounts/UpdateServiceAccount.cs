using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.ServiceAccounts;

/// <summary>An admin renames a service account, changes its role or teams, or disables it (all its tokens stop with it), naming the version read.</summary>
public static class UpdateServiceAccount
{
    public sealed record Command(Guid ServiceAccountId, long? ExpectedVersion, string Name, Role? Role, bool? Disabled, IReadOnlyList<Guid>? TeamIds)
        : ICommand<ServiceAccountResponse>;

    public sealed record Body(string Name, Role? Role, bool? Disabled, IReadOnlyList<Guid>? TeamIds);

    public static async Task<Ok<ServiceAccountResponse>> Endpoint(Guid serviceAccountId, Body body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var account = await sender.Send(new Command(serviceAccountId, ETags.Required(ifMatch), body.Name, body.Role, body.Disabled, body.TeamIds), ct);
        ETags.Set(response, account.Version);
        return TypedResults.Ok(account);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).ServiceAccountName();
            RuleFor(c => c.Role).NotNull().WithMessage("role is required: admin, editor or viewer.");
            RuleFor(c => c.Disabled).NotNull().WithMessage("disabled is required.");
            RuleFor(c => c.TeamIds).NotNull().WithMessage("teamIds is required (an empty list for no team).").TeamIds();
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command, ServiceAccountResponse>
    {
        private const string UpdateSql = """
            UPDATE AppUser
            SET DisplayName = @Name, Role = @Role, Disabled = @Disabled, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @ServiceAccountId AND IsServiceAccount = 1 AND Version = @Version
            """;

        public async ValueTask<ServiceAccountResponse> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var before = await ServiceAccountResponse.LoadAsync(connection, command.ServiceAccountId, ct, transaction)
                ?? throw new NotFoundException($"Service account '{command.ServiceAccountId}' was not found.");
            if (command.ExpectedVersion is { } expected && expected != before.Version)
                throw new PreconditionFailedException($"Service account '{command.ServiceAccountId}' has changed since you read it (now version {before.Version}).");

            ETags.EnsureUpdated(await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                command.ServiceAccountId,
                Name = command.Name.Trim(),
                Role = command.Role!.Value.ToString(),
                Disabled = command.Disabled!.Value,
                Now = now,
                before.Version,
            }, transaction, cancellationToken: ct)), $"Service account '{command.ServiceAccountId}'");
            await UserWrites.ReplaceTeamsAsync(connection, transaction, command.ServiceAccountId, command.TeamIds!, ct);

            var after = (await ServiceAccountResponse.LoadAsync(connection, command.ServiceAccountId, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "service-account", command.ServiceAccountId, "update", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return after;
        }
    }
}
