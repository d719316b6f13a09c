using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Features.Kpis.Formulas;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>Replaces a KPI's definition. Key, value type and frequency are frozen once measurements exist.</summary>
public static class UpdateKpi
{
    public sealed record Command(
        string Key,
        string Name,
        string? Description,
        string? Formula,
        string? Unit,
        KpiValueType? ValueType,
        KpiFrequency? Frequency,
        KpiTarget? Target,
        Guid? OwnerTeamId,
        IReadOnlyList<string>? Tags,
        KpiAggregation? Aggregation = null,
        KpiFedBy? FedBy = null) : ICommand<KpiResponse>, IKpiDefinition
    {
        [JsonIgnore] public string IdOrKey { get; init; } = "";
        [JsonIgnore] public long? ExpectedVersion { get; init; }
    }

    public static async Task<Ok<KpiResponse>> Endpoint(string idOrKey, Command body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var kpi = await sender.Send(body with { IdOrKey = idOrKey, ExpectedVersion = ETags.Required(ifMatch) }, ct);
        ETags.Set(response, kpi.Version);
        return TypedResults.Ok(kpi);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => Include(new KpiDefinitionValidator());
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, Dialect dialect, Organisation organisation, OkrReader okrs) : ICommandHandler<Command, KpiResponse>
    {
        internal const string UpdateSql = """
            UPDATE Kpi
            SET KpiKey = @Key, KeyNormalized = @KeyNormalized, Name = @Name, Description = @Description,
                Formula = @Formula, Unit = @Unit, ValueType = @ValueType, Frequency = @Frequency,
                TargetComparator = @TargetComparator, TargetValue = @TargetValue, TargetLow = @TargetLow,
                TargetHigh = @TargetHigh, TargetWarning = @TargetWarning, OwnerTeamId = @OwnerTeamId,
                Aggregation = @Aggregation, FedBy = @FedBy, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Version = @Version
            """;

        internal const string DeleteTagsSql = "DELETE FROM KpiTag WHERE KpiId = @Id";

        public async ValueTask<KpiResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var current = await KpiRow.GetAsync(connection, command.IdOrKey, ct, transaction);
            var access = new KpiAccess(caller, Scopes.KpisWrite);
            await access.EnsureAsync(current.KpiKey, current.OwnerTeamId, connection, transaction, ct);
            if (command.ExpectedVersion is { } expected && expected != current.Version)
                throw new PreconditionFailedException($"KPI '{current.KpiKey}' has changed since you read it (now version {current.Version}).");
            if (FrozenChange(current, command) is { } frozen)
                throw new ConflictException(frozen);

            await KpiOwner.EnsureExistsAsync(connection, transaction, command.OwnerTeamId, ct);
            // Handing a KPI to another team (or key) needs the right to write it there too.
            await access.EnsureAsync(command.Key, command.OwnerTeamId, connection, transaction, ct);
            var (formula, inputs) = await FormulaDefinitions.CheckAsync(command, current.Id, connection, transaction, ct);
            var before = current.ToResponse((await KpiRow.TagsAsync(connection, [current.Id], ct, transaction))[current.Id].ToList());
            var now = clock.GetUtcNow();
            try
            {
                var columns = new DynamicParameters(KpiColumns.From(current.Id, command, current.Status, now));
                columns.Add("Version", current.Version);
                ETags.EnsureUpdated(await connection.ExecuteAsync(new CommandDefinition(UpdateSql, columns, transaction, cancellationToken: ct)), $"KPI '{current.KpiKey}'");
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                throw new ConflictException($"A KPI with key '{command.Key.Trim()}' already exists (keys ignore case).");
            }
            await connection.ExecuteAsync(new CommandDefinition(DeleteTagsSql, new { current.Id }, transaction, cancellationToken: ct));
            var tags = KpiDefinition.NormalizeTags(command.Tags).Select(tag => new { KpiId = current.Id, Tag = tag });
            await connection.ExecuteAsync(new CommandDefinition(CreateKpi.Handler.InsertTagSql, tags, transaction, cancellationToken: ct));
            await FormulaDefinitions.SaveInputsAsync(current.Id, inputs, hadInputs: current.FedBy == KpiFedBy.Formula, connection, transaction, ct);
            // A new formula recomputes the KPI's whole history; a new aggregation changes what the formulas reading this KPI see.
            var newFormula = formula is not null && (current.FedBy != KpiFedBy.Formula || current.Formula != formula.Text);
            var newAggregation = current.FeedsOthers && current.Aggregation != (command.Aggregation ?? KpiAggregation.Last);
            await Recomputation.WholeAsync(newFormula ? [current.Id] : [], newAggregation ? [current.Id] : [], dialect.Provider,
                connection, transaction, organisation.TimeZone, okrs, now, caller.Actor, ct);

            var kpi = await KpiRow.LoadAsync(connection, current.Id.ToString(), ct, transaction);
            await audit.RecordAsync(connection, transaction, KpiAudit.Entity, current.Id, "update", before, kpi, now, ct);
            await transaction.CommitAsync(ct);
            return kpi!;
        }

        /// <summary>
        /// Why this definition cannot replace the current one of a measured KPI, or null. Integrators address the KPI
        /// by key, and stored periods and values follow its frequency and value type.
        /// </summary>
        internal static string? FrozenChange(KpiRow current, IKpiDefinition definition)
        {
            if (!current.HasMeasurements) return null;
            if (KpiDefinition.NormalizeKey(definition.Key) != current.KeyNormalized)
                return $"The key of KPI '{current.KpiKey}' cannot change: it has measurements, and integrators push by key.";
            if (definition.Frequency != current.Frequency)
                return $"The frequency of KPI '{current.KpiKey}' cannot change: its measurements are stored per {current.Frequency.ToString().ToLowerInvariant()} period.";
            if (definition.ValueType != current.ValueType)
                return $"The value type of KPI '{current.KpiKey}' cannot change once it has measurements.";
            return null;
        }
    }
}
