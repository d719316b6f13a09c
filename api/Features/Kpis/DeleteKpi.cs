using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Features.Kpis.Formulas;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>Deletes a KPI that has never been measured; one with history can only be retired.</summary>
public static class DeleteKpi
{
    public sealed record Command(string IdOrKey, long? ExpectedVersion) : ICommand;

    public static async Task<NoContent> Endpoint(string idOrKey, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(idOrKey, ETags.Optional(ifMatch)), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command>
    {
        // Deleted values stay in the history, so a KPI whose every value was deleted was still measured once.
        private const string HistorySql = "SELECT COUNT(*) FROM KpiMeasurementHistory WHERE KpiId = @Id";

        // Tags go with the KPI (ON DELETE CASCADE); measurements never do, which the checks guarantee.
        private const string DeleteSql = "DELETE FROM Kpi WHERE Id = @Id";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var current = await KpiRow.GetAsync(connection, command.IdOrKey, ct, transaction);
            await new KpiAccess(caller, Scopes.KpisWrite).EnsureAsync(current.KpiKey, current.OwnerTeamId, connection, transaction, ct);
            if (command.ExpectedVersion is { } expected && expected != current.Version)
                throw new PreconditionFailedException($"KPI '{current.KpiKey}' has changed since you read it (now version {current.Version}).");
            await FormulaDefinitions.EnsureUnusedAsync(current, "deleted", connection, transaction, ct);
            if (current.HasMeasurements)
                throw new ConflictException($"KPI '{current.KpiKey}' has measurements; retire it instead of deleting it.");
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(HistorySql, new { current.Id }, transaction, cancellationToken: ct)) > 0)
                throw new ConflictException($"KPI '{current.KpiKey}' has measurement history; retire it instead of deleting it.");

            var before = current.ToResponse((await KpiRow.TagsAsync(connection, [current.Id], ct, transaction))[current.Id].ToList());
            await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { current.Id }, transaction, cancellationToken: ct));
            await audit.RecordAsync(connection, transaction, KpiAudit.Entity, current.Id, "delete", before, null, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
