using System.Data.Common;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>Records many values of one KPI at once; atomic unless mode=partial. A KPI the caller may not write is a 403 for the whole request.</summary>
public static class PushKpiMeasurements
{
    public sealed record Body(IReadOnlyList<MeasurementInput>? Items);

    public sealed record Command(string IdOrKey, IReadOnlyList<MeasurementInput>? Items, string? Mode, IdempotencyKey? Idempotency)
        : ICommand<Idempotent<BatchResponse>>, IGroupCommitted;

    public static async Task<Results<Ok<BatchResponse>, UnprocessableReport<BatchResponse>>> Endpoint(string idOrKey, Body body,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, HttpResponse http, CancellationToken ct, string? mode = null)
    {
        var key = IdempotencyKey.From(idempotencyKey, $"PushKpiMeasurements:{idOrKey}:{mode}", body);
        return BatchModes.Reply(await sender.Send(new Command(idOrKey, body.Items, mode, key), ct), http);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Items).MustBeABatch("{ period, value }");
            RuleFor(c => c.Mode).MustBeABatchMode();
        }
    }

    public sealed class Handler(IdempotentTransaction transactions, DbDataSource db, TimeProvider clock, Dialect dialect, Organisation organisation, Caller caller, AuditLog audit)
        : ICommandHandler<Command, Idempotent<BatchResponse>>
    {
        public async ValueTask<Idempotent<BatchResponse>> Handle(Command command, CancellationToken ct)
        {
            // Items name the KPI as the request did, so they can be checked before the KPI is (in the transaction below).
            var pending = command.Items!.Select((item, index) =>
                new PendingMeasurement(index, command.IdOrKey, item.Period, item.Value, item.Note, item.ExternalId, item.Source)).ToList();
            var mode = BatchModeRules.Parse(command.Mode);
            var checkedBefore = await MeasurementWrites.CheckBeforeTurnAsync(db, dialect, organisation.TimeZone, clock.GetUtcNow(), pending, new KpiAccess(caller, Scopes.MeasurementsWrite), ct);
            return await transactions.ExecuteAsync(command.Idempotency, async (connection, transaction, now) =>
            {
                // The KPI is the resource this request is addressed to: unknown is 404, not the caller's to write 403 and
                // retired 409 for the whole request.
                var kpi = await KpiRow.GetAsync(connection, command.IdOrKey, ct, transaction);
                var access = new KpiAccess(caller, Scopes.MeasurementsWrite);
                await access.EnsureAsync(kpi.KpiKey, kpi.OwnerTeamId, connection, transaction, ct);
                if (kpi.Status == KpiStatus.Retired)
                    throw new ConflictException($"KPI '{kpi.KpiKey}' is retired and takes no new values; reactivate it first.");

                var applied = await MeasurementWrites.ApplyAsync(connection, transaction, dialect, organisation.TimeZone, now, pending, checkedBefore, mode, access, caller.Actor, ct);
                var answer = BatchModes.Answer(applied, mode);
                await MeasurementAudit.RecordBatchAsync(audit, connection, transaction, answer.Response, mode, kpi.KpiKey, now, ct);
                return answer;
            }, ct);
        }
    }
}
