using System.Data.Common;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>What storing one accepted value did: the value now current for its period, and the one it replaced.</summary>
/// <remarks>Carries the KPI and period, so that whatever must follow a change in the same transaction (dependent KPIs, an outbox) can be told which rows changed.</remarks>
internal sealed record WrittenMeasurement(AcceptedMeasurement Item, ItemResult Result, MeasurementWrites.StoredRow Current, MeasurementWrites.StoredRow? Previous);

internal sealed record ImportCounts(long Created, long Updated, long Unchanged, long Duplicates);

/// <summary>
/// Stores accepted measurements in one database dialect, inside a transaction its caller owns: insert a new period,
/// leave an identical value unchanged, or archive the value it replaces into KpiMeasurementHistory and update it;
/// delete a period's value into the history. Every door uses it: a single push and a batch through
/// <see cref="WriteAsync"/>, an import through <see cref="ImportAsync"/> (which also reports repeated periods) and
/// <see cref="CompleteImportAsync"/>, a delete through <see cref="DeleteAsync"/>. The dialect split lives in
/// <see cref="SqliteMeasurementWriter"/> and <see cref="SqlServerMeasurementWriter"/>; the rules they apply are
/// <see cref="MeasurementRules"/>.
/// </summary>
internal interface IMeasurementWriter : IAsyncDisposable
{
    Task<WrittenMeasurement> WriteAsync(AcceptedMeasurement item, CancellationToken ct);

    /// <summary>Removes the period's value, keeping it in the history as deleted; null when the period has none.</summary>
    Task<MeasurementWrites.StoredRow?> DeleteAsync(Guid kpiId, DateTimeOffset periodStart, CancellationToken ct);

    Task StartImportAsync(CancellationToken ct);

    /// <summary>Stores (or stages) one line of an import; a line repeating an earlier line's KPI and period is reported to <paramref name="duplicate"/>.</summary>
    Task ImportAsync(AcceptedMeasurement item, Action<long> duplicate, CancellationToken ct);

    /// <summary>Finishes an import: <paramref name="apply"/> false when nothing may be kept (the caller rolls back anyway).</summary>
    Task<ImportCounts> CompleteImportAsync(bool apply, Action<long> duplicate, CancellationToken ct);
}

internal static class MeasurementWriter
{
    public static IMeasurementWriter For(DatabaseProvider provider, DbConnection connection, DbTransaction transaction, DateTimeOffset now, string? recordedBy) =>
        provider switch
        {
            DatabaseProvider.Sqlite => new SqliteMeasurementWriter(connection, transaction, now, recordedBy),
            DatabaseProvider.SqlServer => new SqlServerMeasurementWriter(connection, transaction, now, recordedBy),
            _ => throw new InvalidOperationException($"No measurement writer for {provider}."),
        };
}
