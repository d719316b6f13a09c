using System.Data.Common;
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
        public async ValueTask<ServiceAccountResponse> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var before = await ServiceAccountResponse.LoadAsync(connection, command.ServiceAccountId, ct, transaction)
                ?? throw new NotFoundException($"Service account '{command.ServiceAccountId}' was not found.");

            await UserWrites.ReplaceAsync(connection, transaction,
                new UserRowChange(command.ServiceAccountId, command.ExpectedVersion, command.Name, command.Role!.Value, command.Disabled!.Value, command.TeamIds!),
                $"Service account '{command.ServiceAccountId}'", before.Version, now, ct);

            var after = (await ServiceAccountResponse.LoadAsync(connection, command.ServiceAccountId, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "service-account", command.ServiceAccountId, "update", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return after;
        }
    }
}
