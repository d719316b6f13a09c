using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Features.Kpis.Formulas;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>Retires a KPI (it keeps its history but takes no new values) or reactivates it. Repeating either is a no-op.</summary>
public static class SetKpiStatus
{
    public sealed record Command(string IdOrKey, KpiStatus Status, long? ExpectedVersion) : ICommand<KpiResponse>;

    /// <summary>Retires a KPI: it keeps its history but takes no new values. Retiring it again changes nothing.</summary>
    public static Task<Ok<KpiResponse>> Retire(string idOrKey, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, HttpResponse response, CancellationToken ct) =>
        Send(new Command(idOrKey, KpiStatus.Retired, ETags.Optional(ifMatch)), sender, response, ct);

    /// <summary>Reactivates a retired KPI, so it takes values again. Reactivating an active one changes nothing.</summary>
    public static Task<Ok<KpiResponse>> Reactivate(string idOrKey, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, HttpResponse response, CancellationToken ct) =>
        Send(new Command(idOrKey, KpiStatus.Active, ETags.Optional(ifMatch)), sender, response, ct);

    private static async Task<Ok<KpiResponse>> Send(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var kpi = await sender.Send(command, ct);
        ETags.Set(response, kpi.Version);
        return TypedResults.Ok(kpi);
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, Dialect dialect, Organisation organisation, OkrReader okrs) : ICommandHandler<Command, KpiResponse>
    {
        private const string UpdateSql = """
            UPDATE Kpi SET Status = @Status, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Status <> @Status
            """;

        public async ValueTask<KpiResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var current = await KpiRow.GetAsync(connection, command.IdOrKey, ct, transaction);
            await new KpiAccess(caller, Scopes.KpisWrite).EnsureAsync(current.KpiKey, current.OwnerTeamId, connection, transaction, ct);
            if (command.ExpectedVersion is { } expected && expected != current.Version)
                throw new PreconditionFailedException($"KPI '{current.KpiKey}' has changed since you read it (now version {current.Version}).");

            if (command.Status == KpiStatus.Retired && current.Status != KpiStatus.Retired)
                await FormulaDefinitions.EnsureUnusedAsync(current, "retired", connection, transaction, ct);
            var now = clock.GetUtcNow();
            var changed = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new { current.Id, Status = command.Status.ToString(), Now = now }, transaction, cancellationToken: ct));
            // A retired computed KPI was not kept current; back in service, it catches up with its inputs.
            if (changed > 0 && command.Status == KpiStatus.Active && current.FedBy == KpiFedBy.Formula)
                await Recomputation.WholeAsync([current.Id], [], dialect.Provider, connection, transaction, organisation.TimeZone, okrs, now, caller.Actor, ct);
            var kpi = await KpiRow.LoadAsync(connection, current.Id.ToString(), ct, transaction);
            // A repeat changes nothing, so it leaves nothing in the audit log either.
            if (changed > 0)
            {
                var before = current.ToResponse(kpi!.Tags);
                await audit.RecordAsync(connection, transaction, KpiAudit.Entity, current.Id, command.Status == KpiStatus.Retired ? "retire" : "reactivate", before, kpi, now, ct);
            }
            await transaction.CommitAsync(ct);
            return kpi!;
        }
    }
}
