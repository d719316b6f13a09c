using System.Data.Common;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// How measurement writes appear in the audit log. A single push or delete is one entry for the period, with the
/// value before and after. A batch or an import is one entry with its counts: the value every item replaced is kept
/// anyway, with who recorded it and who replaced it, in the period's revision history, and an entry per row would
/// double the writes of the paths that must run at the database's insert rate. A write that changes nothing (an
/// identical re-send, a refused atomic batch, a dry run) leaves no entry.
/// </summary>
internal static class MeasurementAudit
{
    public const string Entity = "measurement";
    public const string BatchEntity = "measurement-batch";
    public const string ImportEntity = "measurement-import";

    /// <summary>A period's entity id, as its URL names it: the KPI's id and the period's label.</summary>
    public static string EntityId(Guid kpiId, string period) => $"{kpiId}/{period}";

    /// <summary>One entry for a single push that stored something: the value before (if any) and after.</summary>
    public static Task RecordPushAsync(AuditLog audit, DbConnection connection, DbTransaction transaction, ItemResult result,
        MeasurementResponse? before, MeasurementResponse after, DateTimeOffset now, CancellationToken ct) =>
        result is ItemResult.Created or ItemResult.Updated
            ? audit.RecordAsync(connection, transaction, Entity, EntityId(after.KpiId, after.Period),
                result == ItemResult.Created ? "create" : "update", before, after, now, ct)
            : Task.CompletedTask;

    public static Task RecordDeleteAsync(AuditLog audit, DbConnection connection, DbTransaction transaction, MeasurementResponse before,
        DateTimeOffset now, CancellationToken ct) =>
        audit.RecordAsync(connection, transaction, Entity, EntityId(before.KpiId, before.Period), "delete", before, null, now, ct);

    /// <summary>One entry for a batch that stored something: its mode and counts (and its KPI when the route named one).</summary>
    public static Task RecordBatchAsync(AuditLog audit, DbConnection connection, DbTransaction transaction, BatchResponse batch, BatchMode mode,
        string? kpiKey, DateTimeOffset now, CancellationToken ct) =>
        batch.Committed && batch.Created + batch.Updated > 0
            ? audit.RecordAsync(connection, transaction, BatchEntity, Guid.CreateVersion7(now), "push", null, new
            {
                Kpi = kpiKey, Mode = mode, batch.Created, batch.Updated, batch.Unchanged, batch.Rejected,
            }, now, ct)
            : Task.CompletedTask;
}
