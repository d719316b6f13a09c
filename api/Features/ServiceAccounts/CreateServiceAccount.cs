using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.ServiceAccounts;

/// <summary>
/// An admin creates a service account to own integration tokens (POST /api/v1/tokens with serviceAccountId). It is kept
/// as a user row without password or email of its own, so its tokens act with its role and teams like anyone's.
/// </summary>
public static class CreateServiceAccount
{
    public sealed record Command(string Name, Role? Role, IReadOnlyList<Guid>? TeamIds) : ICommand<ServiceAccountResponse>;

    public static async Task<Created<ServiceAccountResponse>> Endpoint(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var account = await sender.Send(command, ct);
        ETags.Set(response, account.Version);
        return TypedResults.Created($"/api/v1/service-accounts/{account.Id}", account);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).ServiceAccountName();
            RuleFor(c => c.Role).NotNull().WithMessage("role is required: admin, editor or viewer.");
            RuleFor(c => c.TeamIds).TeamIds();
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command, ServiceAccountResponse>
    {
        private const string InsertSql = """
            INSERT INTO AppUser (Id, Email, EmailNormalized, DisplayName, Role, PasswordHash, ExternalSubject, Disabled, Version, CreatedAt, UpdatedAt, IsServiceAccount)
            VALUES (@Id, @Email, @EmailNormalized, @Name, @Role, NULL, NULL, 0, 1, @Now, @Now, 1)
            """;

        public async ValueTask<ServiceAccountResponse> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var id = Guid.CreateVersion7();
            // Unique like every user's, in a reserved domain (RFC 2606) so no identity provider can sign in as it.
            var email = $"service-account-{id:N}@okrkpi.invalid";
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Id = id,
                Email = email,
                EmailNormalized = People.NormalizeEmail(email),
                Name = command.Name.Trim(),
                Role = command.Role!.Value.ToString(),
                Now = now,
            }, transaction, cancellationToken: ct));
            await UserWrites.ReplaceTeamsAsync(connection, transaction, id, command.TeamIds ?? [], ct);
            var created = (await ServiceAccountResponse.LoadAsync(connection, id, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "service-account", id, "create", null, created, now, ct);
            await transaction.CommitAsync(ct);
            return created;
        }
    }
}

internal static class ServiceAccountRules
{
    public static IRuleBuilderOptions<T, string> ServiceAccountName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotBlank().WithMessage("name is required.")
            .MaximumTrimmedLength(ServiceAccountResponse.NameMaxLength)
            .WithMessage($"name must be at most {ServiceAccountResponse.NameMaxLength} characters.");
}
