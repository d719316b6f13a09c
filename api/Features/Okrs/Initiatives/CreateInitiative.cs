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
        [JsonIgnore] public InitiativeOwner Owner { get; init; }
    }

    public static Task<Created<InitiativeResponse>> Endpoint(Guid keyResultId, Command body, ISender sender, HttpResponse response, CancellationToken ct) =>
        SendAsync(body with { Owner = InitiativeOwner.OfKeyResult(keyResultId) }, sender, response, ct);

    /// <summary>Adds the initiative under whichever owner the command names; the objective's route comes here too.</summary>
    internal static async Task<Created<InitiativeResponse>> SendAsync(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var initiative = await sender.Send(command, ct);
        ETags.Set(response, initiative.Version);
        return TypedResults.Created($"/api/v1/initiatives/{initiative.Id}", initiative);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => Include(new InitiativeFieldsValidator());
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command, InitiativeResponse>
    {
        public async ValueTask<InitiativeResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            await command.Owner.EnsureMayWriteAsync(caller, connection, transaction, ct);

            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(InitiativeOwner.InsertSql, new
            {
                Id = id,
                command.Owner.KeyResultId,
                command.Owner.ObjectiveId,
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
