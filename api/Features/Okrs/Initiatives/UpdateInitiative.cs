using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Replaces an initiative's title, status and link (If-Match).</summary>
public static class UpdateInitiative
{
    public sealed record Command(string? Title, InitiativeStatus? Status, string? ExternalUrl) : ICommand<InitiativeResponse>, IInitiativeFields
    {
        [JsonIgnore] public Guid InitiativeId { get; init; }
        [JsonIgnore] public long? ExpectedVersion { get; init; }
    }

    public static async Task<Ok<InitiativeResponse>> Endpoint(Guid initiativeId, Command body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var initiative = await sender.Send(body with { InitiativeId = initiativeId, ExpectedVersion = ETags.Required(ifMatch) }, ct);
        ETags.Set(response, initiative.Version);
        return TypedResults.Ok(initiative);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            Include(new InitiativeFieldsValidator());
            RuleFor(c => c.Status).NotNull().WithMessage("status is required.");
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command, InitiativeResponse>
    {
        internal const string UpdateSql = """
            UPDATE Initiative SET Title = @Title, Status = @Status, ExternalUrl = @ExternalUrl, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Version = @Version
            """;

        public async ValueTask<InitiativeResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var before = await InitiativeResponse.GetAsync(connection, command.InitiativeId, ct, transaction);
            await InitiativeOwner.Of(before).EnsureMayWriteAsync(caller, connection, transaction, ct);
            if (command.ExpectedVersion is { } expected && expected != before.Version)
                throw new PreconditionFailedException($"Initiative '{before.Id}' has changed since you read it (now version {before.Version}).");

            var now = clock.GetUtcNow();
            var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                before.Id,
                before.Version,
                Title = command.Title!.Trim(),
                Status = command.Status!.Value.ToString(),
                ExternalUrl = command.ExternalUrl.TrimToNull(),
                Now = now,
            }, transaction, cancellationToken: ct));
            ETags.EnsureUpdated(updated, $"Initiative '{before.Id}'");

            var after = await InitiativeResponse.GetAsync(connection, before.Id, ct, transaction);
            await audit.RecordAsync(connection, transaction, "initiative", before.Id, "update", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return after;
        }
    }
}
