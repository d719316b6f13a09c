using System.Data.Common;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>Records one value of a KPI for one period: created, replaced (the old value kept in history) or unchanged.</summary>
public static class PushMeasurement
{
    public sealed record Command(string IdOrKey, MeasurementInput Input, IdempotencyKey? Idempotency) : ICommand<Idempotent<Response>>, IGroupCommitted;

    public sealed record Response(ItemResult Result, MeasurementResponse Measurement);

    public static async Task<Results<Created<Response>, Ok<Response>>> Endpoint(string idOrKey, MeasurementInput body,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, HttpResponse http, CancellationToken ct)
    {
        var key = IdempotencyKey.From(idempotencyKey, $"PushMeasurement:{idOrKey}", body);
        var (response, replayed) = await sender.Send(new Command(idOrKey, body, key), ct);
        if (replayed) http.Headers[IdempotencyKey.ReplayedHeader] = "true";
        return response.Result == ItemResult.Created
            ? TypedResults.Created($"/api/v1/kpis/{response.Measurement.KpiId}/measurements/{response.Measurement.Period}", response)
            : TypedResults.Ok(response);
    }

    public sealed class Handler(IdempotentTransaction transactions, Dialect dialect, Organisation organisation, Caller caller, AuditLog audit)
        : ICommandHandler<Command, Idempotent<Response>>
    {
        public async ValueTask<Idempotent<Response>> Handle(Command command, CancellationToken ct) =>
            await transactions.ExecuteAsync(command.Idempotency, Push(command, ct), ct);

        private Func<DbConnection, DbTransaction, DateTimeOffset, Task<(Response, int)>> Push(Command command, CancellationToken ct) =>
            async (connection, transaction, now) =>
            {
                var input = command.Input;
                var pending = new PendingMeasurement(0, command.IdOrKey, input.Period, input.Value, input.Note, input.ExternalId, input.Source);
                var access = new KpiAccess(caller, Scopes.MeasurementsWrite);
                var applied = (await MeasurementWrites.ApplyAsync(connection, transaction, dialect, organisation.TimeZone, now, [pending], null, BatchMode.Atomic, access, caller.Actor, ct))[0];
                // In a group commit this runs inside the push's own savepoint, so its entry goes (or stays) with its value.
                await MeasurementAudit.RecordPushAsync(audit, connection, transaction, applied, now, ct);

                var outcome = applied.Outcome;
                return applied.Refusal switch
                {
                    Refusal.UnknownKpi => throw new NotFoundException(outcome.Reason!),
                    Refusal.Forbidden => throw new ForbiddenException(outcome.Reason!),
                    Refusal.Retired => throw new ConflictException(outcome.Reason!),
                    Refusal.Invalid => throw new ValidationException([new(outcome.Field!, outcome.Reason!)]),
                    _ => (new Response(outcome.Result, applied.Current!), outcome.Result == ItemResult.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK),
                };
            };
    }
}
