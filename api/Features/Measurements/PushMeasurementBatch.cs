using System.Data.Common;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// Records values of many KPIs in one request, each item naming its KPI by key or id; atomic unless mode=partial. An
/// item for a KPI the caller may not write is rejected with the reason, like an invalid one.
/// </summary>
public static class PushMeasurementBatch
{
    public sealed record Body(IReadOnlyList<BatchItemInput>? Items);

    public sealed record Command(IReadOnlyList<BatchItemInput>? Items, string? Mode, IdempotencyKey? Idempotency) : ICommand<Idempotent<BatchResponse>>, IGroupCommitted;

    public static async Task<Results<Ok<BatchResponse>, UnprocessableReport<BatchResponse>>> Endpoint(Body body,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, ISender sender, HttpResponse http, CancellationToken ct, string? mode = null)
    {
        var key = IdempotencyKey.From(idempotencyKey, $"PushMeasurementBatch:{mode}", body);
        return BatchModes.Reply(await sender.Send(new Command(body.Items, mode, key), ct), http);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Items).MustBeABatch("{ kpi, period, value }");
            RuleFor(c => c.Mode).MustBeABatchMode();
        }
    }

    public sealed class Handler(IdempotentTransaction transactions, DbDataSource db, TimeProvider clock, Dialect dialect, Organisation organisation, Caller caller, AuditLog audit)
        : ICommandHandler<Command, Idempotent<BatchResponse>>
    {
        public async ValueTask<Idempotent<BatchResponse>> Handle(Command command, CancellationToken ct)
        {
            var pending = command.Items!.Select((item, index) =>
                new PendingMeasurement(index, item.Kpi, item.Period, item.Value, item.Note, item.ExternalId, item.Source)).ToList();
            var mode = BatchModeRules.Parse(command.Mode);
            var checkedBefore = await MeasurementWrites.CheckBeforeTurnAsync(db, dialect, organisation.TimeZone, clock.GetUtcNow(), pending, new KpiAccess(caller, Scopes.MeasurementsWrite), ct);
            return await transactions.ExecuteAsync(command.Idempotency, async (connection, transaction, now) =>
            {
                var access = new KpiAccess(caller, Scopes.MeasurementsWrite);
                var applied = await MeasurementWrites.ApplyAsync(connection, transaction, dialect, organisation.TimeZone, now, pending, checkedBefore, mode, access, caller.Actor, ct);
                var answer = BatchModes.Answer(applied, mode);
                await MeasurementAudit.RecordBatchAsync(audit, connection, transaction, answer.Response, mode, null, now, ct);
                return answer;
            }, ct);
        }
    }
}
