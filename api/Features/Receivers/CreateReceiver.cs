using System.Data.Common;
using System.Text.Json;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
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

    /// <summary>The longest JMESPath expression a receiver keeps (the presets' longest is far shorter).</summary>
    public const int ExpressionMaxLength = 500;

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
            RuleFor(c => c.Name).ReceiverName();
            RuleFor(c => c.Preset).NotNull().OneOf(ReceiverPresets.All.Keys)
                .WithMessage($"preset must be one of: {string.Join(", ", ReceiverPresets.All.Keys)}.");
            RuleFor(c => c).Must(c => c.Outputs is { Count: > 0 } || c.Kpis is { Count: > 0 }).OverridePropertyName("kpis")
                .WithMessage("kpis is required: the keys of the KPIs the preset's outputs feed (or outputs, for your own mapping).");
            RuleFor(c => c.Kpis).Must((c, kpis) => kpis is null || c.Preset is null || !ReceiverPresets.All.TryGetValue(c.Preset, out var p) || kpis.Count <= p.Outputs.Count)
                .WithMessage(c => $"The preset {c.Preset} feeds at most {(ReceiverPresets.All.TryGetValue(c.Preset ?? "", out var p) ? p.Outputs.Count : 0)} KPIs.");
            RuleFor(c => c.Kpis).ItemCount(0, MaxOutputs).WithMessage($"kpis names at most {MaxOutputs} KPIs.");
            RuleForEach(c => c.Kpis).NotEmpty().WithMessage("A KPI key is required here.").MaximumLength(KpiDefinition.KeyMaxLength);
            RuleFor(c => c.Filter).MaximumLength(ExpressionMaxLength);
            RuleFor(c => c.Outputs).ItemCount(0, MaxOutputs).WithMessage($"outputs holds at most {MaxOutputs} items.");
            RuleForEach(c => c.Outputs).SetValidator(new OutputValidator());
            RuleFor(c => c).Custom((c, context) =>
            {
                foreach (var failure in ReceiverRules.SyntaxErrors(c.Filter, c.Outputs)) context.AddFailure(failure);
            });
        }

        /// <summary>One output of a generic receiver: its own class, so the API document states its limits too.</summary>
        public sealed class OutputValidator : AbstractValidator<ReceiverOutput>
        {
            public OutputValidator()
            {
                // Not NotEmpty: the presets listed by GET /receivers share this schema with an empty kpi for the caller to fill.
                RuleFor(o => o.Kpi).Must(kpi => !string.IsNullOrWhiteSpace(kpi)).WithMessage("kpi is required.").MaximumLength(KpiDefinition.KeyMaxLength);
                RuleFor(o => o.Filter).MaximumLength(ExpressionMaxLength);
                RuleFor(o => o.OccurredAt).MaximumLength(ExpressionMaxLength);
                RuleFor(o => o.Value).MaximumLength(ExpressionMaxLength);
                RuleFor(o => o.EventId).MaximumLength(ExpressionMaxLength);
                RuleFor(o => o.DurationFrom).MaximumLength(ExpressionMaxLength);
                RuleFor(o => o.DurationTo).MaximumLength(ExpressionMaxLength);
                RuleFor(o => o).Must(o => (o.DurationFrom is null) == (o.DurationTo is null))
                    .WithMessage("durationFrom and durationTo go together.");
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
            await ReceiverRules.EnsureKpisFedByEventsAsync(connection, transaction, command.Outputs is { Count: > 0 }
                ? definition.Outputs.Select((o, i) => ($"outputs[{i}].kpi", o.Kpi))
                : command.Kpis!.Select((kpi, i) => ($"kpis[{i}]", kpi)), ct);
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Id = id,
                Name = command.Name.Trim(),
                command.Preset,
                Definition = JsonSerializer.Serialize(definition, ReceiverResponse.Json),
                Now = now,
            }, transaction, cancellationToken: ct));
            var created = (await ReceiverResponse.LoadAsync(connection, id, ct, transaction))!;
            await audit.RecordAsync(connection, transaction, ReceiverResponse.AuditEntity, id, "create", null, created, now, ct);
            await transaction.CommitAsync(ct);
            return created;
        }
    }
}
