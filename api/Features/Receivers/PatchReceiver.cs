using System.Data.Common;
using System.Text.Json;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Security;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>
/// Edits a receiver (JSON Merge Patch, If-Match): its name, filter, outputs (the KPIs it feeds and where their values
/// sit in the payload) and whether it takes deliveries. The preset it started from stays as a label; the hook URL stays.
/// </summary>
public static class PatchReceiver
{
    /// <summary>
    /// The receiver as its full replacement: outputs is replaced as a whole (RFC 7396 merges objects, not arrays).
    /// Enabled is nullable only so that a patch setting it to null is a 400 rather than a silent false.
    /// </summary>
    public sealed record Body(string Name, string? Filter, IReadOnlyList<ReceiverOutput> Outputs, bool? Enabled);

    public sealed record Command(Guid ReceiverId, long ExpectedVersion, string Name, string? Filter, IReadOnlyList<ReceiverOutput>? Outputs, bool? Enabled)
        : ICommand<ReceiverResponse>;

    public static async Task<Ok<ReceiverResponse>> Endpoint(Guid receiverId, HttpRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, IOptions<JsonOptions> json, HttpResponse response, CancellationToken ct)
    {
        var receiver = await MergePatch.UpdateAsync(request, ifMatch, $"Receiver '{receiverId}'",
            read: () => sender.Send(new GetReceiver.Query(receiverId), ct).AsTask(),
            version: current => current.Version,
            asBody: current => new Body(current.Name, current.Definition.Filter, current.Definition.Outputs, current.Enabled),
            update: (current, body) => sender.Send(new Command(receiverId, current.Version, body.Name, body.Filter, body.Outputs, body.Enabled), ct).AsTask(),
            json.Value.SerializerOptions, ct);
        ETags.Set(response, receiver.Version);
        return TypedResults.Ok(receiver);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).ReceiverName();
            RuleFor(c => c.Enabled).NotNull().WithMessage("enabled is true (takes deliveries) or false (refuses them).");
            RuleFor(c => c.Filter).MaximumLength(CreateReceiver.ExpressionMaxLength);
            RuleFor(c => c.Outputs).NotEmpty().WithMessage("outputs is required: at least one KPI the receiver feeds.")
                .ItemCount(1, CreateReceiver.MaxOutputs).WithMessage($"outputs holds 1 to {CreateReceiver.MaxOutputs} items.");
            RuleForEach(c => c.Outputs).NotNull().WithMessage("Each output is an object: { kpi, occurredAt, value, eventId, … }.")
                .SetValidator(new CreateReceiver.Validator.OutputValidator());
            RuleFor(c => c).Custom((c, context) =>
            {
                foreach (var failure in ReceiverRules.SyntaxErrors(c.Filter, c.Outputs)) context.AddFailure(failure);
            });
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command, ReceiverResponse>
    {
        private const string UpdateSql = """
            UPDATE Receiver
            SET Name = @Name, Definition = @Definition, Enabled = @Enabled, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @ReceiverId AND Version = @ExpectedVersion
            """;

        public async ValueTask<ReceiverResponse> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var what = $"Receiver '{command.ReceiverId}'";
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var before = await ReceiverResponse.LoadAsync(connection, command.ReceiverId, ct, transaction)
                ?? throw new NotFoundException($"{what} was not found.");
            if (command.ExpectedVersion != before.Version)
                throw new PreconditionFailedException($"{what} has changed since you read it (now version {before.Version}).");
            await ReceiverRules.EnsureKpisFedByEventsAsync(connection, transaction, command.Outputs!.Select((o, i) => ($"outputs[{i}].kpi", o.Kpi)), ct);

            var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                command.ReceiverId,
                command.ExpectedVersion,
                Name = command.Name.Trim(),
                Definition = JsonSerializer.Serialize(new ReceiverDefinition(command.Filter, command.Outputs!), ReceiverResponse.Json),
                Enabled = command.Enabled!.Value,
                Now = now,
            }, transaction, cancellationToken: ct));
            ETags.EnsureUpdated(updated, what);

            var receiver = (await ReceiverResponse.LoadAsync(connection, command.ReceiverId, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, ReceiverResponse.AuditEntity, command.ReceiverId, "update", before, receiver, now, ct);
            await transaction.CommitAsync(ct);
            return receiver;
        }
    }
}
