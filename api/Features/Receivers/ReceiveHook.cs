using System.Data.Common;
using System.Text;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Events;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Import;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>
/// A provider delivers its own payload, as it is, to a receiver: the receiver's definition makes events of it and the
/// events write path records them (atomic: all or none; an eventId seen before is a no-op, so redeliveries count once).
/// A payload the filter passes over is answered 200 "ignored"; one the mapping cannot read is a 422 naming the path.
/// A disabled receiver refuses every delivery with 403 ("try a payload" still works). Every delivery, whatever became of
/// it, joins the receiver's log.
/// </summary>
public static class ReceiveHook
{
    public const int MaxPayloadBytes = 1024 * 1024;

    private const string Disabled = "The receiver is disabled: it takes no deliveries until an admin enables it again.";

    public sealed record Response(string Outcome, string? Reason, IReadOnlyList<MappedEvent> Events, EventBatchResponse? Recorded);

    public sealed record Command(Guid ReceiverId, string Payload, bool DryRun) : ICommand<Response>;

    public static async Task<Ok<Response>> Endpoint(Guid receiverId, HttpRequest request, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Command(receiverId, await ReadAsync(request, ct), DryRun: false), ct));

    internal static async Task<string> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var payload = await reader.ReadToEndAsync(ct);
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(payload);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("body", $"The payload is not JSON: {e.Message}")]);
        }
        return payload;
    }

    internal sealed class Handler(DbDataSource db, Dialect dialect, TimeProvider clock, EventWrites events) : ICommandHandler<Command, Response>
    {
        public async ValueTask<Response> Handle(Command command, CancellationToken ct)
        {
            ReceiverResponse receiver;
            await using (var connection = await db.OpenConnectionAsync(ct))
                receiver = await ReceiverResponse.LoadAsync(connection, command.ReceiverId, ct)
                    ?? throw new NotFoundException($"Receiver '{command.ReceiverId}' was not found.");

            // 403, not 503: a provider retries a 5xx (and Jira a 409) for hours, filling the log; a disabled receiver is
            // a decision, and the provider's own delivery history then shows the refusal and its reason.
            if (!receiver.Enabled && !command.DryRun)
                return await LoggedAsync(command, 403, "disabled", Disabled, () => throw new ForbiddenException(Disabled), ct);

            var mapped = ReceiverMapping.Apply(receiver.Definition, command.Payload);
            if (mapped.Failed)
                return await LoggedAsync(command, 422, "failed", mapped.Failure, () => throw new UnprocessableException(mapped.Failure!), ct);
            if (mapped.Events.Count == 0)
                return await LoggedAsync(command, 200, "ignored", mapped.Ignored, () => new Response("ignored", mapped.Ignored, [], null), ct);
            if (command.DryRun) return new Response("wouldRecord", null, mapped.Events, null);

            var items = mapped.Events.Select((e, i) => new EventItem(i, e.Kpi, e.OccurredAt,
                e.Value is { } v ? RawValue.FromText(v.ToString(System.Globalization.CultureInfo.InvariantCulture)) : RawValue.FromJson(null), e.EventId)).ToList();
            var recorded = (await events.RecordBatchAsync(items, BatchMode.Atomic, null, ct)).Response;
            if (!recorded.Committed)
            {
                var reason = string.Join(" ", recorded.Items.Where(i => i.Reason is not null).Select(i => $"{i.Kpi}: {i.Reason}"));
                return await LoggedAsync(command, 422, "refused", reason, () => throw new UnprocessableException($"Nothing was recorded: {reason}"), ct);
            }
            var outcome = recorded.Created > 0 ? "recorded" : "unchanged";
            var why = recorded.Created > 0 ? null : "Every event's eventId was recorded before (a redelivery).";
            return await LoggedAsync(command, 200, outcome, why, () => new Response(outcome, why, mapped.Events, recorded), ct);
        }

        private async Task<Response> LoggedAsync(Command command, int status, string outcome, string? reason, Func<Response> answer, CancellationToken ct)
        {
            if (!command.DryRun)
                await ReceiverDeliveries.LogAsync(db, dialect, command.ReceiverId, clock.GetUtcNow(), status, outcome, reason, ct);
            return answer();
        }
    }
}
