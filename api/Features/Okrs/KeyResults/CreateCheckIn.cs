using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Checks in on a key result: sets its current value and keeps the check-in in its history. A KPI-fed key result takes
/// check-ins too, for their confidence and note, but its value stays its KPI's: the check-in records the KPI's latest value
/// and sends none of its own. The first check-in of a key result declared as a change from it gives its baseline: start
/// and target follow from its value. A key result of a closed cycle refuses check-ins (409).
/// </summary>
public static class CreateCheckIn
{
    public sealed record Command(decimal? Value, int? Confidence, string? Note) : ICommand<CheckInResponse>
    {
        [JsonIgnore] public Guid KeyResultId { get; init; }
    }

    public static async Task<Created<CheckInResponse>> Endpoint(Guid keyResultId, Command body, ISender sender, CancellationToken ct)
    {
        var checkIn = await sender.Send(body with { KeyResultId = keyResultId }, ct);
        return TypedResults.Created($"/api/v1/key-results/{keyResultId}/check-ins", checkIn);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Value).StoredExactly();
            RuleFor(c => c.Confidence).InclusiveBetween(0, 10).WithMessage("confidence must be between 0 and 10.");
            RuleFor(c => c.Note).OptionalText(OkrLimits.NoteMaxLength);
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader) : ICommandHandler<Command, CheckInResponse>
    {
        // The version guard makes a concurrent check-in on the same key result lose cleanly instead of sharing a sequence.
        internal const string UpdateKeyResultSql = """
            UPDATE KeyResult SET CurrentValue = @Value, LastCheckInAt = @Now, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Version = @Version
            """;

        // A KPI-fed key result's value is its KPI's: the check-in leaves CurrentValue as it is.
        internal const string TouchKeyResultSql = """
            UPDATE KeyResult SET LastCheckInAt = @Now, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Version = @Version
            """;

        // The first check-in of a key result declared as a change from it gives its start and target.
        internal const string DefineBaselineSql = """
            UPDATE KeyResult SET StartValue = @Start, TargetValue = @Target, Direction = @Direction, Comparator = @Comparator
            WHERE Id = @Id AND Version = @Version
            """;

        internal const string InsertSql = """
            INSERT INTO CheckIn (Id, KeyResultId, Sequence, Value, ValueSource, Confidence, Note, AuthorId, Author, CreatedAt)
            VALUES (@Id, @KeyResultId, @Sequence, @Value, @ValueSource, @Confidence, @Note, @AuthorId, @Author, @CreatedAt)
            """;

        public async ValueTask<CheckInResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var head = await KeyResultHead.GetAsync(connection, command.KeyResultId, ct, transaction);
            await head.EnsureMayWriteAsync(caller, connection, transaction, ct);
            await head.OpenCycleAsync(connection, transaction, "its key results", ct);
            var (value, source) = head.KpiId is { } kpiId ? (await KpiValueAsync(connection, transaction, kpiId, command, ct), CurrentValueSource.Kpi)
                : (command.Value ?? throw new ValidationException([new("value", "value is required.")]), CurrentValueSource.CheckIn);
            if (!KeyResultRules.FitsType(head.Type, value))
                throw new ValidationException([new("value", "A milestone is 0 (not done) or 1 (done).")]);

            var now = clock.GetUtcNow();
            var before = await reader.GetObjectiveAsync(connection, head.ObjectiveId, ct, transaction);
            if (head.AwaitsBaseline)
            {
                var defined = KeyResultRules.FromBaseline(value, new KeyResultChange(head.ChangePercent, head.ChangeBy), BaselineSource.FirstCheckIn, head.Comparator, "value");
                await connection.ExecuteAsync(new CommandDefinition(DefineBaselineSql, new
                {
                    head.Id, head.Version, Start = defined.Start, Target = defined.Target,
                    Direction = defined.Direction.ToString(), Comparator = defined.Comparator.ToString(),
                }, transaction, cancellationToken: ct));
            }
            var updated = await connection.ExecuteAsync(new CommandDefinition(source == CurrentValueSource.Kpi ? TouchKeyResultSql : UpdateKeyResultSql,
                new { head.Id, head.Version, Value = value, Now = now }, transaction, cancellationToken: ct));
            if (updated == 0)
                throw new ConflictException("The key result changed while checking in; try again.");

            var checkIn = new CheckInResponse(Guid.CreateVersion7(), head.Id, head.Version + 1, value, source, command.Confidence, command.Note.TrimToNull(),
                caller.UserId, caller.Actor, now);
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                checkIn.Id, checkIn.KeyResultId, checkIn.Sequence, checkIn.Value, ValueSource = source.ToString(), checkIn.Confidence, checkIn.Note,
                checkIn.AuthorId, checkIn.Author, checkIn.CreatedAt,
            }, transaction, cancellationToken: ct));
            await audit.RecordAsync(connection, transaction, "checkIn", checkIn.Id, "create", null, checkIn, now, ct);
            var after = await reader.GetObjectiveAsync(connection, head.ObjectiveId, ct, transaction);
            var keyResult = after.KeyResults.Single(k => k.Id == head.Id);
            await Outbox.AppendAsync(connection, transaction, now,
                new[] { OkrEvents.CheckIn(keyResult, after, checkIn), OkrEvents.HealthChanged(before, after) }.OfType<OutboxEntry>(), ct);
            await transaction.CommitAsync(ct);
            return checkIn;
        }

        private static async Task<decimal> KpiValueAsync(DbConnection connection, DbTransaction transaction, Guid kpiId, Command command, CancellationToken ct)
        {
            if (command.Value is not null)
                throw new ValidationException([new("value", "This key result's value comes from its KPI; leave value out and push to the KPI to move it.")]);
            return await connection.ExecuteScalarAsync<decimal?>(new CommandDefinition(KeyResultRules.LatestKpiValueSql, new { KpiId = kpiId }, transaction, cancellationToken: ct))
                ?? throw new ConflictException("The KPI feeding this key result has no value yet; a check-in records the KPI's value, so push one first.");
        }
    }
}
