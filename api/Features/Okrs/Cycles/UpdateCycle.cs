using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Renames a cycle or moves its dates (If-Match). A closed cycle cannot change.</summary>
public static class UpdateCycle
{
    public sealed record Command(string? Name, DateOnly? StartDate, DateOnly? EndDate) : ICommand<CycleResponse>
    {
        [JsonIgnore] public Guid CycleId { get; init; }
        [JsonIgnore] public long? ExpectedVersion { get; init; }
    }

    public static async Task<Ok<CycleResponse>> Endpoint(Guid cycleId, Command body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var cycle = await sender.Send(body with { CycleId = cycleId, ExpectedVersion = ETags.Required(ifMatch) }, ct);
        ETags.Set(response, cycle.Version);
        return TypedResults.Ok(cycle);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).RequiredText(OkrLimits.CycleNameMaxLength);
            RuleFor(c => c.StartDate).NotNull().WithMessage("startDate is required.");
            RuleFor(c => c.EndDate).NotNull().WithMessage("endDate is required.");
            this.CycleDates(c => c.StartDate, c => c.EndDate);
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command, CycleResponse>
    {
        internal const string UpdateSql = """
            UPDATE Cycle
            SET Name = @Name, NameNormalized = @NameNormalized, StartDate = @StartDate, EndDate = @EndDate,
                Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Version = @Version
            """;

        public async ValueTask<CycleResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var current = await CycleRow.GetAsync(connection, command.CycleId, ct, transaction);
            await caller.EnsureMayWriteAsync(Scopes.OkrsWrite, null, null, "a cycle", connection, transaction, ct);
            if (command.ExpectedVersion is { } expected && expected != current.Version)
                throw new PreconditionFailedException($"Cycle '{current.Name}' has changed since you read it (now version {current.Version}).");
            current.EnsureOpen("its name and dates");

            var name = command.Name!.Trim();
            var now = clock.GetUtcNow();
            try
            {
                ETags.EnsureUpdated(await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
                {
                    current.Id, current.Version, Name = name, NameNormalized = CycleRow.Normalize(name), command.StartDate, command.EndDate, Now = now,
                }, transaction, cancellationToken: ct)), $"Cycle '{current.Name}'");
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                throw new ConflictException($"A cycle named '{name}' already exists.");
            }

            var updated = (await CycleRow.GetAsync(connection, current.Id, ct, transaction)).ToResponse();
            await audit.RecordAsync(connection, transaction, "cycle", current.Id, "update", current.ToResponse(), updated, now, ct);
            await transaction.CommitAsync(ct);
            return updated;
        }
    }
}
