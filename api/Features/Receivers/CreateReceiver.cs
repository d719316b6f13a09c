using System.Data.Common;
using System.Text.Json;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>
/// An admin defines a receiver from a preset: the KPIs its outputs feed (kpis, in the preset's order), optionally its
/// own filter, or for generic-json its own outputs. Every expression is parsed here, so a delivery never meets a typo.
/// </summary>
public static class CreateReceiver
{
    public const int MaxOutputs = 10;

    public sealed record Command(string Name, string Preset, IReadOnlyList<string>? Kpis, string? Filter, IReadOnlyList<ReceiverOutput>? Outputs)
        : ICommand<ReceiverResponse>;

    public static async Task<Created<ReceiverResponse>> Endpoint(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var receiver = await sender.Send(command, ct);
        ETags.Set(response, receiver.Version);
        return TypedResults.Created($"/api/v1/receivers/{receiver.Id}", receiver);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).NotBlank().WithMessage("name is required.").MaximumTrimmedLength(ReceiverResponse.NameMaxLength)
                .WithMessage($"name must be at most {ReceiverResponse.NameMaxLength} characters.");
            RuleFor(c => c.Preset).NotNull().Must(p => p is not null && ReceiverPresets.All.ContainsKey(p))
                .WithMessage($"preset must be one of: {string.Join(", ", ReceiverPresets.All.Keys)}.");
            RuleFor(c => c).Must(c => c.Outputs is { Count: > 0 } || c.Kpis is { Count: > 0 }).OverridePropertyName("kpis")
                .WithMessage("kpis is required: the keys of the KPIs the preset's outputs feed (or outputs, for your own mapping).");
            RuleFor(c => c.Kpis).Must((c, kpis) => kpis is null || c.Preset is null || !ReceiverPresets.All.TryGetValue(c.Preset, out var p) || kpis.Count <= p.Outputs.Count)
                .WithMessage(c => $"The preset {c.Preset} feeds at most {(ReceiverPresets.All.TryGetValue(c.Preset ?? "", out var p) ? p.Outputs.Count : 0)} KPIs.");
            RuleForEach(c => c.Kpis).NotEmpty().WithMessage("A KPI key is required here.");
            RuleFor(c => c.Outputs).Must(o => o is null || o.Count <= MaxOutputs).WithMessage($"outputs holds at most {MaxOutputs} items.");
            RuleForEach(c => c.Outputs).ChildRules(output =>
            {
                output.RuleFor(o => o.Kpi).NotEmpty().WithMessage("kpi is required.");
                output.RuleFor(o => o).Must(o => (o.DurationFrom is null) == (o.DurationTo is null))
                    .WithMessage("durationFrom and durationTo go together.");
            });
            RuleFor(c => c).Custom((c, context) =>
            {
                foreach (var (field, expression) in Expressions(c))
                    if (ReceiverMapping.SyntaxError(expression) is { } error) context.AddFailure(field, error);
            });
        }

        private static IEnumerable<(string, string)> Expressions(Command c)
        {
            if (c.Filter is { } f) yield return ("filter", f);
            for (var i = 0; i < (c.Outputs?.Count ?? 0); i++)
            {
                var o = c.Outputs![i];
                foreach (var (name, e) in new[] { ("filter", o.Filter), ("occurredAt", o.OccurredAt), ("value", o.Value), ("eventId", o.EventId), ("durationFrom", o.DurationFrom), ("durationTo", o.DurationTo) })
                    if (e is not null) yield return ($"outputs[{i}].{name}", e);
            }
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command, ReceiverResponse>
    {
        private const string InsertSql = """
            INSERT INTO Receiver (Id, Name, Preset, Definition, Enabled, Version, CreatedAt, UpdatedAt)
            VALUES (@Id, @Name, @Preset, @Definition, 1, 1, @Now, @Now)
            """;

        public async ValueTask<ReceiverResponse> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var id = Guid.CreateVersion7();
            var definition = command.Outputs is { Count: > 0 } outputs
                ? new ReceiverDefinition(command.Filter ?? ReceiverPresets.All[command.Preset].Filter, outputs)
                : ReceiverPresets.Expand(command.Preset, command.Kpis!, command.Filter)!;
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Id = id,
                Name = command.Name.Trim(),
                command.Preset,
                Definition = JsonSerializer.Serialize(definition, ReceiverResponse.Json),
                Now = now,
            }, transaction, cancellationToken: ct));
            var created = (await ReceiverResponse.LoadAsync(connection, id, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, "receiver", id, "create", null, created, now, ct);
            await transaction.CommitAsync(ct);
            return created;
        }
    }
}
