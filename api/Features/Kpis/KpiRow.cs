using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>A Kpi table row; SQL names the columns, this maps them.</summary>
internal sealed class KpiRow
{
    public const string Columns = """
        k.Id, k.KpiKey, k.KeyNormalized, k.Name, k.Description, k.Formula, k.Unit, k.ValueType, k.Frequency,
        k.TargetComparator, k.TargetValue, k.TargetLow, k.TargetHigh, k.TargetWarning, k.OwnerTeamId,
        k.Aggregation, k.FedBy, k.Status, k.Version, k.CreatedAt, k.UpdatedAt,
        CASE WHEN EXISTS (SELECT 1 FROM KpiMeasurement AS m WHERE m.KpiId = k.Id) THEN 1 ELSE 0 END AS HasMeasurements,
        CASE WHEN EXISTS (SELECT 1 FROM KpiInput AS i WHERE i.InputKpiId = k.Id) THEN 1 ELSE 0 END AS FeedsOthers,
        CASE WHEN EXISTS (SELECT 1 FROM KeyResult AS r WHERE r.KpiId = k.Id) THEN 1 ELSE 0 END AS FeedsKeyResults
        """;

    /// <summary>
    /// The columns a summary of many KPIs (the dashboard) shows: it reads neither the long texts nor the timestamps
    /// (each parsed per row) nor probes the measurements. The other properties keep their defaults.
    /// </summary>
    public const string SummaryColumns = """
        k.Id, k.KpiKey, k.KeyNormalized, k.Name, k.Unit, k.ValueType, k.Frequency,
        k.TargetComparator, k.TargetValue, k.TargetLow, k.TargetHigh, k.TargetWarning, k.OwnerTeamId, k.Status,
        k.Aggregation, k.FedBy
        """;

    // A route segment that parses as a UUID is an id; anything else is a key (keys may not look like UUIDs). Each is
    // read through its own index, so the database plans one lookup instead of both.
    private const string SelectByIdSql = $"""
        SELECT {Columns}
        FROM Kpi AS k
        WHERE k.Id = @Id
        """;

    private const string SelectByKeySql = $"""
        SELECT {Columns}
        FROM Kpi AS k
        WHERE k.KeyNormalized = @Key
        """;

    private const string TagsSql = "SELECT KpiId, Tag FROM KpiTag WHERE KpiId IN @Ids ORDER BY Tag";

    public Guid Id { get; init; }
    public string KpiKey { get; init; } = "";
    public string KeyNormalized { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string? Formula { get; init; }
    public string? Unit { get; init; }
    public KpiValueType ValueType { get; init; }
    public KpiFrequency Frequency { get; init; }
    public TargetComparator TargetComparator { get; init; }
    public decimal? TargetValue { get; init; }
    public decimal? TargetLow { get; init; }
    public decimal? TargetHigh { get; init; }
    public decimal? TargetWarning { get; init; }
    public Guid? OwnerTeamId { get; init; }
    public KpiAggregation Aggregation { get; init; }
    public KpiFedBy FedBy { get; init; }
    public KpiStatus Status { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public bool HasMeasurements { get; init; }

    /// <summary>Whether a computed KPI's formula reads this KPI: a write to it then recomputes those KPIs.</summary>
    public bool FeedsOthers { get; init; }

    /// <summary>Whether key results follow this KPI: a write to it then may move their objectives' health (<c>KpiEvents</c>).</summary>
    public bool FeedsKeyResults { get; init; }

    public KpiTarget Target() => new(TargetComparator, TargetValue, TargetLow, TargetHigh, TargetWarning);

    public KpiResponse ToResponse(IReadOnlyList<string> tags) => new(
        Id, KpiKey, Name, Description, Formula, Unit, ValueType, Frequency, Target(),
        OwnerTeamId, tags, Status, HasMeasurements, Version, CreatedAt, UpdatedAt, Aggregation, FedBy);

    public static async Task<KpiRow?> FindAsync(DbConnection connection, string idOrKey, CancellationToken ct, DbTransaction? transaction = null)
    {
        var command = Guid.TryParse(idOrKey, out var id)
            ? new CommandDefinition(SelectByIdSql, new { Id = id }, transaction, cancellationToken: ct)
            : new CommandDefinition(SelectByKeySql, new { Key = KpiDefinition.NormalizeKey(idOrKey) }, transaction, cancellationToken: ct);
        return await connection.QuerySingleOrDefaultAsync<KpiRow>(command);
    }

    /// <summary>The tags of many KPIs in one query, so a page costs two queries whatever its size.</summary>
    public static async Task<ILookup<Guid, string>> TagsAsync(DbConnection connection, IReadOnlyCollection<Guid> ids, CancellationToken ct, DbTransaction? transaction = null)
    {
        if (ids.Count == 0) return Array.Empty<(Guid, string)>().ToLookup(t => t.Item1, t => t.Item2);
        // Dapper expands IN lists without type handlers, so SQLite would be sent BLOBs; text matches its TEXT ids
        // and SQL Server converts it to uniqueidentifier on the parameter side, keeping the index seek.
        var texts = ids.Select(id => id.ToString("D")).ToList();
        var rows = await connection.QueryAsync<TagRow>(new CommandDefinition(TagsSql, new { Ids = texts }, transaction, cancellationToken: ct));
        return rows.ToLookup(r => r.KpiId, r => r.Tag);
    }

    private sealed class TagRow
    {
        public Guid KpiId { get; init; }
        public string Tag { get; init; } = "";
    }

    /// <summary>The KPI a request's URL names, or 404.</summary>
    public static async Task<KpiRow> GetAsync(DbConnection connection, string idOrKey, CancellationToken ct, DbTransaction? transaction = null) =>
        await FindAsync(connection, idOrKey, ct, transaction) ?? throw new NotFoundException($"KPI '{idOrKey}' was not found.");

    /// <summary>The start of the period <paramref name="text"/> names for this KPI's frequency, or a 400 naming <paramref name="field"/>.</summary>
    public DateTimeOffset PeriodStartOf(string text, string field, TimeZoneInfo zone) => PeriodStartOf(text, field, Frequency, zone);

    /// <summary>The start of the period <paramref name="text"/> names in <paramref name="frequency"/>, or a 400 naming <paramref name="field"/>.</summary>
    public static DateTimeOffset PeriodStartOf(string text, string field, KpiFrequency frequency, TimeZoneInfo zone) =>
        KpiPeriods.TryParse(text.Trim(), frequency, zone, out var start, out var error)
            ? start
            : throw new ValidationException([new(field, error!)]);

    public static async Task<KpiResponse?> LoadAsync(DbConnection connection, string idOrKey, CancellationToken ct, DbTransaction? transaction = null)
    {
        if (await FindAsync(connection, idOrKey, ct, transaction) is not { } row) return null;
        var tags = await TagsAsync(connection, [row.Id], ct, transaction);
        return row.ToResponse(tags[row.Id].ToList());
    }
}
