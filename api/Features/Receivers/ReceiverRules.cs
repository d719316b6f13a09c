using System.Data.Common;
using FluentValidation;
using FluentValidation.Results;
using OkrKpi.Api.Features.Events;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Mediator;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>
/// The rules a receiver's definition obeys whether it is created or edited: a name, outputs within the limits, every
/// expression parsing (so a delivery never meets a typo), and every KPI it feeds existing and fed by events (so a
/// delivery is never refused for what the admin could have been told when saving).
/// </summary>
internal static class ReceiverRules
{
    public static IRuleBuilderOptions<T, string> ReceiverName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotBlank().WithMessage("name is required.").MaximumTrimmedLength(ReceiverResponse.NameMaxLength)
            .WithMessage($"name must be at most {ReceiverResponse.NameMaxLength} characters.");

    /// <summary>A failure for each expression that does not parse, named as the request names it (filter, outputs[1].value).</summary>
    public static IEnumerable<ValidationFailure> SyntaxErrors(string? filter, IReadOnlyList<ReceiverOutput>? outputs)
    {
        foreach (var (field, expression) in Expressions(filter, outputs))
            if (ReceiverMapping.SyntaxError(expression) is { } error) yield return new ValidationFailure(field, error);
    }

    private static IEnumerable<(string, string)> Expressions(string? filter, IReadOnlyList<ReceiverOutput>? outputs)
    {
        if (filter is { } f) yield return ("filter", f);
        for (var i = 0; i < (outputs?.Count ?? 0); i++)
        {
            var o = outputs![i];
            if (o is null) continue;
            foreach (var (name, e) in new[] { ("filter", o.Filter), ("occurredAt", o.OccurredAt), ("value", o.Value), ("eventId", o.EventId), ("durationFrom", o.DurationFrom), ("durationTo", o.DurationTo) })
                if (e is not null) yield return ($"outputs[{i}].{name}", e);
        }
    }

    /// <summary>400 naming each field whose KPI (by key or id) does not exist or is not fed by events.</summary>
    /// <param name="kpis">Each KPI reference with the field the request named it in (kpis[0], outputs[1].kpi).</param>
    public static async Task EnsureKpisFedByEventsAsync(DbConnection connection, DbTransaction transaction, IEnumerable<(string Field, string Kpi)> kpis, CancellationToken ct)
    {
        var named = kpis.ToList();
        var found = new MeasurementWrites.KpiLookup(await MeasurementWrites.LoadKpisAsync(connection, transaction, named.Select(k => k.Kpi), ct));
        var failures = named.Select(k => found.Find(k.Kpi) switch
            {
                null => new ValidationFailure(k.Field, MeasurementRules.UnknownKpi(k.Kpi.Trim())),
                { FedBy: not KpiFedBy.Events } kpi => new ValidationFailure(k.Field, EventRules.NotFedByEvents(kpi)),
                _ => null,
            })
            .OfType<ValidationFailure>().ToList();
        if (failures.Count > 0) throw new ValidationException(failures);
    }
}
