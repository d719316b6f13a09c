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

/// <summary>
/// Edits an objective's final score (0.0–1.0) after its cycle has closed, with a note saying why it differs from the
/// progress (If-Match). Audited; an edited score survives reopening the cycle.
/// </summary>
public static class ScoreObjective
{
    public sealed record Command(decimal? Score, string? Note) : ICommand<ObjectiveResponse>
    {
        [JsonIgnore] public Guid ObjectiveId { get; init; }
        [JsonIgnore] public long? ExpectedVersion { get; init; }
    }

    public static async Task<Ok<ObjectiveResponse>> Endpoint(Guid objectiveId, Command body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var objective = await sender.Send(body with { ObjectiveId = objectiveId, ExpectedVersion = ETags.Required(ifMatch) }, ct);
        ETags.Set(response, objective.Version);
        return TypedResults.Ok(objective);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Score).NotNull().WithMessage("score is required.")
                .InclusiveBetween(0m, 1m).WithMessage("score must be between 0.0 and 1.0.")
                .Must(s => s is null || decimal.Round(s.Value, OkrProgress.Decimals) == s).WithMessage($"score has at most {OkrProgress.Decimals} decimals.");
            RuleFor(c => c.Note).RequiredText(OkrLimits.NoteMaxLength);
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader) : ICommandHandler<Command, ObjectiveResponse>
    {
        internal const string ScoreSql = """
            UPDATE Objective SET Score = @Score, ScoreNote = @Note, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Version = @Version
            """;

        public async ValueTask<ObjectiveResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var head = await ObjectiveHead.GetAsync(connection, command.ObjectiveId, ct, transaction);
            await head.EnsureMayWriteAsync(caller, connection, transaction, ct);
            head.EnsureVersion(command.ExpectedVersion);
            var cycle = await CycleRow.GetAsync(connection, head.CycleId, ct, transaction);
            if (cycle.Status != CycleStatus.Closed)
                throw new ConflictException($"Cycle '{cycle.Name}' is not closed yet: objectives are scored at the end of their cycle (until then, progress says where they stand).");

            var before = await reader.GetObjectiveAsync(connection, head.Id, ct, transaction);
            var now = clock.GetUtcNow();
            ETags.EnsureUpdated(await connection.ExecuteAsync(new CommandDefinition(ScoreSql, new { head.Id, head.Version, command.Score, Note = command.Note!.Trim(), Now = now },
                transaction, cancellationToken: ct)), $"Objective '{head.Id}'");
            var after = await reader.GetObjectiveAsync(connection, head.Id, ct, transaction);
            await audit.RecordAsync(connection, transaction, "objective", head.Id, "score", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return after;
        }
    }
}
