using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Adds an initiative to a key result; whoever may write the key result may add its work.</summary>
public static class CreateInitiative
{
    public sealed record Command(string? Title, InitiativeStatus? Status, string? ExternalUrl) : ICommand<InitiativeResponse>, IInitiativeFields
    {
        [JsonIgnore] public Guid KeyResultId { get; init; }
    }

    public static async Task<Created<InitiativeResponse>> Endpoint(Guid keyResultId, Command body, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var initiative = await sender.Send(body with { KeyResultId = keyResultId }, ct);
        ETags.Set(response, initiative.Version);
        return TypedResults.Created($"/api/v1/initiatives/{initiative.Id}", initiative);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => Include(new InitiativeFieldsValidator());
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command, InitiativeResponse>
    {
        // Ordinal: the next place in the key result, so its initiatives list in the order they were added.
        internal const string InsertSql = """
            INSERT INTO Initiative (Id, KeyResultId, ObjectiveId, Ordinal, Title, Status, ExternalUrl, Version, CreatedAt, UpdatedAt)
            SELECT @Id, @KeyResultId, NULL, COALESCE(MAX(Ordinal), 0) + 1, @Title, @Status, @ExternalUrl, 1, @Now, @Now
            FROM Initiative
            WHERE KeyResultId = @KeyResultId
            """;

        public async ValueTask<InitiativeResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var keyResult = await KeyResultHead.GetAsync(connection, command.KeyResultId, ct, transaction);
            await keyResult.EnsureMayWriteAsync(caller, connection, transaction, ct);
            await keyResult.OpenCycleAsync(connection, transaction, "its initiatives", ct);

            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Id = id,
                KeyResultId = keyResult.Id,
                Title = command.Title!.Trim(),
                Status = (command.Status ?? InitiativeStatus.Planned).ToString(),
                ExternalUrl = command.ExternalUrl.TrimToNull(),
                Now = now,
            }, transaction, cancellationToken: ct));

            var initiative = await InitiativeResponse.GetAsync(connection, id, ct, transaction);
            await audit.RecordAsync(connection, transaction, "initiative", id, "create", null, initiative, now, ct);
            await transaction.CommitAsync(ct);
            return initiative;
        }
    }
}
