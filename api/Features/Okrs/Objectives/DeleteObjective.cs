using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Deletes an objective. One with key results needs <c>?cascade=true</c> (its key results, check-ins and initiatives
/// go with it); one that other objectives align to is refused until they are realigned.
/// </summary>
public static class DeleteObjective
{
    public sealed record Command(Guid ObjectiveId, bool Cascade, long? ExpectedVersion) : ICommand;

    public static async Task<NoContent> Endpoint(Guid objectiveId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, CancellationToken ct,
        bool cascade = false)
    {
        await sender.Send(new Command(objectiveId, cascade, ETags.Optional(ifMatch)), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader) : ICommandHandler<Command>
    {
        internal const string ChildrenSql = "SELECT COUNT(*) FROM Objective WHERE ParentObjectiveId = @Id";
        // The objective's own initiatives go with it (SQL Server allows no second cascade path to Initiative).
        internal const string DeleteInitiativesSql = "DELETE FROM Initiative WHERE ObjectiveId = @Id";
        internal const string DeleteKeyResultsSql = "DELETE FROM KeyResult WHERE ObjectiveId = @Id";
        internal const string DeleteSql = "DELETE FROM Objective WHERE Id = @Id";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var head = await ObjectiveHead.GetAsync(connection, command.ObjectiveId, ct, transaction);
            await head.EnsureMayWriteAsync(caller, connection, transaction, ct);
            head.EnsureVersion(command.ExpectedVersion);
            (await CycleRow.GetAsync(connection, head.CycleId, ct, transaction)).EnsureOpen("its objectives");

            var children = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ChildrenSql, new { head.Id }, transaction, cancellationToken: ct));
            if (children > 0)
                throw new ConflictException($"{children} objective(s) align to this one; realign them first.");
            var before = await reader.GetObjectiveAsync(connection, head.Id, ct, transaction);
            if (before.KeyResults.Count > 0 && !command.Cascade)
                throw new ConflictException($"The objective has {before.KeyResults.Count} key result(s); delete them first, or delete with ?cascade=true to remove them with it.");

            await connection.ExecuteAsync(new CommandDefinition(DeleteInitiativesSql, new { head.Id }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(DeleteKeyResultsSql, new { head.Id }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { head.Id }, transaction, cancellationToken: ct));
            await audit.RecordAsync(connection, transaction, "objective", head.Id, "delete", before, null, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
