using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Deletes an initiative (If-Match optional).</summary>
public static class DeleteInitiative
{
    public sealed record Command(Guid InitiativeId, long? ExpectedVersion) : ICommand;

    public static async Task<NoContent> Endpoint(Guid initiativeId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(initiativeId, ETags.Optional(ifMatch)), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command>
    {
        internal const string DeleteSql = "DELETE FROM Initiative WHERE Id = @Id";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var before = await InitiativeResponse.GetAsync(connection, command.InitiativeId, ct, transaction);
            await InitiativeOwner.Of(before).EnsureMayWriteAsync(caller, connection, transaction, ct);
            if (command.ExpectedVersion is { } expected && expected != before.Version)
                throw new PreconditionFailedException($"Initiative '{before.Id}' has changed since you read it (now version {before.Version}).");

            await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { before.Id }, transaction, cancellationToken: ct));
            await audit.RecordAsync(connection, transaction, "initiative", before.Id, "delete", before, null, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
