using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Deletes a key result with its check-ins and initiatives.</summary>
public static class DeleteKeyResult
{
    public sealed record Command(Guid KeyResultId, long? ExpectedVersion) : ICommand;

    public static async Task<NoContent> Endpoint(Guid keyResultId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(keyResultId, ETags.Optional(ifMatch)), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader) : ICommandHandler<Command>
    {
        internal const string DeleteSql = "DELETE FROM KeyResult WHERE Id = @Id";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var head = await KeyResultHead.GetAsync(connection, command.KeyResultId, ct, transaction);
            await head.EnsureMayWriteAsync(caller, connection, transaction, ct);
            head.EnsureVersion(command.ExpectedVersion);
            await head.OpenCycleAsync(connection, transaction, "its key results", ct);

            var before = await reader.GetKeyResultAsync(connection, head.Id, ct, transaction);
            await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { head.Id }, transaction, cancellationToken: ct));
            await audit.RecordAsync(connection, transaction, "keyResult", head.Id, "delete", before, null, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
