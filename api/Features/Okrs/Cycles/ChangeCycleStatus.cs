using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Moves a cycle along planning → active → closed, or reopens a closed one (admins only). Closing freezes every key
/// result at its current value and sets each objective's score to its progress (unless the score was edited with a
/// note); reopening thaws them and withdraws the scores that were not edited.
/// </summary>
public static class ChangeCycleStatus
{
    public enum Transition { Activate, Close, Reopen }

    public sealed record Command(Guid CycleId, Transition To, long? ExpectedVersion) : ICommand<CycleResponse>;

    /// <summary>Starts a cycle that is in planning (planning → active); any other move is a conflict.</summary>
    public static Task<Ok<CycleResponse>> Activate(Guid cycleId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, HttpResponse response, CancellationToken ct) =>
        SendAsync(new Command(cycleId, Transition.Activate, ETags.Optional(ifMatch)), sender, response, ct);

    /// <summary>Closes an active cycle: every key result is frozen at its current value and each objective's score set to its progress (unless edited with a note).</summary>
    public static Task<Ok<CycleResponse>> Close(Guid cycleId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, HttpResponse response, CancellationToken ct) =>
        SendAsync(new Command(cycleId, Transition.Close, ETags.Optional(ifMatch)), sender, response, ct);

    /// <summary>Reopens a closed cycle: its OKRs can change again, and the scores that were not edited are withdrawn.</summary>
    public static Task<Ok<CycleResponse>> Reopen(Guid cycleId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, HttpResponse response, CancellationToken ct) =>
        SendAsync(new Command(cycleId, Transition.Reopen, ETags.Optional(ifMatch)), sender, response, ct);

    private static async Task<Ok<CycleResponse>> SendAsync(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var cycle = await sender.Send(command, ct);
        ETags.Set(response, cycle.Version);
        return TypedResults.Ok(cycle);
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader) : ICommandHandler<Command, CycleResponse>
    {
        internal const string SetStatusSql = """
            UPDATE Cycle SET Status = @Status, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Status = @From
            """;

        internal const string ObjectiveIdsSql = "SELECT Id FROM Objective WHERE CycleId = @Id";

        internal const string FreezeKeyResultSql = "UPDATE KeyResult SET FinalValue = @FinalValue WHERE Id = @Id";

        // A score edited after close carries its note; it survives a reopen and the next close.
        internal const string ScoreSql = "UPDATE Objective SET Score = @Score WHERE Id = @Id AND ScoreNote IS NULL";

        internal const string ThawKeyResultsSql = """
            UPDATE KeyResult SET FinalValue = NULL
            WHERE ObjectiveId IN (SELECT Id FROM Objective WHERE CycleId = @Id)
            """;

        internal const string WithdrawScoresSql = "UPDATE Objective SET Score = NULL WHERE CycleId = @Id AND ScoreNote IS NULL";

        public async ValueTask<CycleResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var current = await CycleRow.GetAsync(connection, command.CycleId, ct, transaction);
            if (command.To == Transition.Reopen && !caller.IsAdmin)
                throw new ForbiddenException("Only an admin can reopen a closed cycle.");
            await caller.EnsureMayWriteAsync(Scopes.OkrsWrite, null, null, "a cycle", connection, transaction, ct);
            if (command.ExpectedVersion is { } expected && expected != current.Version)
                throw new PreconditionFailedException($"Cycle '{current.Name}' has changed since you read it (now version {current.Version}).");

            var (from, to) = command.To switch
            {
                Transition.Activate => (CycleStatus.Planning, CycleStatus.Active),
                Transition.Close => (CycleStatus.Active, CycleStatus.Closed),
                _ => (CycleStatus.Closed, CycleStatus.Active),
            };
            if (current.Status != from)
                throw new ConflictException($"Cycle '{current.Name}' is {Wire(current.Status)}; only a {Wire(from)} cycle can be {Past(command.To)}.");

            if (command.To == Transition.Close)
                await FreezeAsync(connection, transaction, current.Id, ct);
            else if (command.To == Transition.Reopen)
            {
                await connection.ExecuteAsync(new CommandDefinition(ThawKeyResultsSql, new { current.Id }, transaction, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(WithdrawScoresSql, new { current.Id }, transaction, cancellationToken: ct));
            }

            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(SetStatusSql, new { current.Id, Status = to.ToString(), From = from.ToString(), Now = now },
                transaction, cancellationToken: ct));
            var changed = (await CycleRow.GetAsync(connection, current.Id, ct, transaction)).ToResponse();
            await audit.RecordAsync(connection, transaction, "cycle", current.Id, command.To.ToString().ToLowerInvariant(), current.ToResponse(), changed, now, ct);
            if (command.To != Transition.Reopen)
                await Outbox.AppendAsync(connection, transaction, now,
                    OkrEvents.Cycle(command.To == Transition.Activate ? EventTypes.CycleActivated : EventTypes.CycleClosed, changed), ct);
            await transaction.CommitAsync(ct);
            return changed;
        }

        /// <summary>Computed while the cycle is still active, so KPI-linked key results read their KPI one last time.</summary>
        private async Task FreezeAsync(DbConnection connection, DbTransaction transaction, Guid cycleId, CancellationToken ct)
        {
            var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(ObjectiveIdsSql, new { Id = cycleId }, transaction, cancellationToken: ct))).ToList();
            foreach (var objective in await reader.ObjectivesAsync(connection, ids, ct, transaction))
            {
                var frozen = objective.KeyResults.Where(k => k.CurrentValue is not null).Select(k => new { k.Id, FinalValue = k.CurrentValue }).ToList();
                if (frozen.Count > 0)
                    await connection.ExecuteAsync(new CommandDefinition(FreezeKeyResultSql, frozen, transaction, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(ScoreSql, new { objective.Id, Score = objective.Progress }, transaction, cancellationToken: ct));
            }
        }

        private static string Wire(CycleStatus status) => status.ToString().ToLowerInvariant();

        private static string Past(Transition transition) => transition switch
        {
            Transition.Activate => "activated",
            Transition.Close => "closed",
            _ => "reopened",
        };
    }
}
