using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Creates a cycle in planning. An empty body creates the suggested next quarter (GET /cycles/next).</summary>
public static class CreateCycle
{
    public sealed record Command(string? Name, DateOnly? StartDate, DateOnly? EndDate) : ICommand<CycleResponse>;

    public static async Task<Created<CycleResponse>> Endpoint(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var cycle = await sender.Send(command, ct);
        ETags.Set(response, cycle.Version);
        return TypedResults.Created($"/api/v1/cycles/{cycle.Id}", cycle);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).MaximumTrimmedLength(OkrLimits.CycleNameMaxLength);
            When(c => c.Name is not null || c.StartDate is not null || c.EndDate is not null, () =>
            {
                RuleFor(c => c.Name).NotBlank();
                RuleFor(c => c.StartDate).NotNull().WithMessage("startDate is required (or send an empty body for the suggested next quarter).");
                RuleFor(c => c.EndDate).NotNull().WithMessage("endDate is required (or send an empty body for the suggested next quarter).");
                this.CycleDates(c => c.StartDate, c => c.EndDate);
            });
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Organisation organisation, Caller caller, AuditLog audit)
        : ICommandHandler<Command, CycleResponse>
    {
        internal const string InsertSql = """
            INSERT INTO Cycle (Id, Name, NameNormalized, StartDate, EndDate, Status, Version, CreatedAt, UpdatedAt)
            VALUES (@Id, @Name, @NameNormalized, @StartDate, @EndDate, 'Planning', 1, @Now, @Now)
            """;

        public async ValueTask<CycleResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await caller.EnsureMayWriteAsync(Scopes.OkrsWrite, null, null, "a cycle", connection, transaction, ct);

            var (name, start, end) = command.Name is null
                ? await SuggestedAsync(connection, transaction, ct)
                : (command.Name.Trim(), command.StartDate!.Value, command.EndDate!.Value);
            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
                {
                    Id = id, Name = name, NameNormalized = CycleRow.Normalize(name), StartDate = start, EndDate = end, Now = now,
                }, transaction, cancellationToken: ct));
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                throw new ConflictException($"A cycle named '{name}' already exists.");
            }

            var cycle = (await CycleRow.GetAsync(connection, id, ct, transaction)).ToResponse();
            await audit.RecordAsync(connection, transaction, "cycle", id, "create", null, cycle, now, ct);
            await transaction.CommitAsync(ct);
            return cycle;
        }

        private async Task<(string, DateOnly, DateOnly)> SuggestedAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
        {
            var suggestion = await SuggestCycle.Handler.SuggestAsync(connection, transaction, organisation, clock, ct);
            return (suggestion.Name, suggestion.StartDate, suggestion.EndDate);
        }
    }
}
