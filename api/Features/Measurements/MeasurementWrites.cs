using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Import;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>One pushed value, before its KPI and period are known to be valid. Kpi is a key or an id.</summary>
internal sealed record PendingMeasurement(int Index, string? Kpi, string? Period, JsonElement? Value, string? Note, string? ExternalId, MeasurementSource? Source);

internal enum Refusal { None, Invalid, UnknownKpi, Forbidden, Retired }

/// <summary>An item's outcome, the value now current for its period (and the one it replaced), and (internally) why it was refused.</summary>
internal sealed record AppliedMeasurement(ItemOutcome Outcome, MeasurementResponse? Current, Refusal Refusal, MeasurementResponse? Previous = null);

/// <summary>
/// The write path every push shares (single value, one KPI's batch, batch across KPIs): validate each item,
/// upsert by (KPI, period), keep the replaced value in KpiMeasurementHistory, and write nothing for an
/// identical re-send. Runs inside the caller's transaction so the caller decides what commits with it. An item for
/// a KPI the caller may not write (another team's, or outside a token's KPI list) is refused like any invalid item.
/// </summary>
internal static class MeasurementWrites
{
    // Ids and keys of one batch in two lists: ids as text because Dapper expands IN lists without type handlers.
    private const string KpisSql = $"""
        SELECT {KpiRow.Columns}
        FROM Kpi AS k
        WHERE k.Id IN @Ids OR k.KeyNormalized IN @Keys
        """;

    private const string ExistingColumns = "Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy";

    private const string SqliteExistingSql = $"""
        SELECT {ExistingColumns} FROM KpiMeasurement
        WHERE KpiId = @KpiId AND PeriodStart >= @From AND PeriodStart <= @To
        """;

    // UPDLOCK + HOLDLOCK: a concurrent push of the same period waits here instead of racing to a duplicate.
    private const string SqlServerExistingSql = $"""
        SELECT {ExistingColumns} FROM KpiMeasurement WITH (UPDLOCK, HOLDLOCK)
        WHERE KpiId = @KpiId AND PeriodStart >= @From AND PeriodStart <= @To
        """;

    internal const string CurrentForPeriodSql = $"""
        SELECT {ExistingColumns} FROM KpiMeasurement
        WHERE KpiId = @KpiId AND PeriodStart = @PeriodStart
        """;

    private const string InsertSql = """
        INSERT INTO KpiMeasurement (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy)
        VALUES (@Id, @KpiId, @PeriodStart, @Value, @Source, @Note, @ExternalId, @RecordedAt, @RecordedBy)
        """;

    internal const string ArchiveSql = """
        INSERT INTO KpiMeasurementHistory (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy, SupersededAt, SupersededBy, Reason)
        VALUES (@Id, @KpiId, @PeriodStart, @Value, @Source, @Note, @ExternalId, @RecordedAt, @RecordedBy, @SupersededAt, @SupersededBy, @Reason)
        """;

    private const string UpdateSql = """
        UPDATE KpiMeasurement
        SET Value = @Value, Source = @Source, Note = @Note, ExternalId = @ExternalId, RecordedAt = @RecordedAt, RecordedBy = @RecordedBy
        WHERE Id = @Id
        """;

    internal sealed class StoredRow
    {
        public Guid Id { get; init; }
        public Guid KpiId { get; init; }
        public DateTimeOffset PeriodStart { get; init; }
        public decimal Value { get; init; }
        public MeasurementSource Source { get; init; }
        public string? Note { get; init; }
        public string? ExternalId { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string? RecordedBy { get; init; }

        public object Archived(DateTimeOffset at, string? by, string reason) => new
        {
            Id = Guid.CreateVersion7(), KpiId, PeriodStart, Value, Source = Source.ToString(), Note, ExternalId, RecordedAt, RecordedBy,
            SupersededAt = at, SupersededBy = by, Reason = reason,
        };
    }

    /// <summary>An item that passed its checks, with the id a new row gets and what it will store rendered as SQLite stores it.</summary>
    internal sealed record Accepted(int Position, PendingMeasurement Item, KpiRow Kpi, DateTimeOffset PeriodStart, decimal Value, MeasurementSource Source,
        string? Note, string? ExternalId, string Label, Guid Id, string IdText, string KpiText, string PeriodText, string ValueText);

    /// <summary>
    /// Items checked against the KPI definitions as they were read: each one refused, or accepted and rendered for
    /// storage. Made before the writer's turn for a batch, so that its parsing and rendering overlap other writes.
    /// </summary>
    internal sealed class CheckedItems
    {
        public required IReadOnlyList<PendingMeasurement> Items { get; init; }
        public required IReadOnlyList<KpiRow> Kpis { get; init; }
        public required IReadOnlyDictionary<Guid, string>? Forbidden { get; init; }
        public required AppliedMeasurement?[] Refused { get; init; }
        internal required List<Accepted> Accepted { get; init; }
    }

    /// <summary>Checks every item: its KPI (known, writable by the caller, not retired), period, value and texts. Writes nothing.</summary>
    public static async Task<CheckedItems> CheckAsync(DbConnection connection, DbTransaction? transaction, TimeZoneInfo zone, DateTimeOffset now,
        IReadOnlyList<PendingMeasurement> items, KpiAccess access, CancellationToken ct)
    {
        var kpis = await LoadKpisAsync(connection, transaction, items, ct);
        var forbidden = await ForbiddenAsync(kpis, access, connection, transaction, ct);
        var refused = new AppliedMeasurement?[items.Count];
        var accepted = new List<Accepted>(items.Count);
        var seen = new Dictionary<(Guid, long), int>();
        var kpiTexts = new Dictionary<Guid, string>();

        var lookup = new KpiLookup(kpis);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (Check(item, lookup, forbidden, zone, now, out var kpi, out var periodStart, out var value) is { } refusal)
            {
                refused[i] = refusal;
                continue;
            }
            if (seen.TryGetValue((kpi.Id, periodStart.UtcTicks), out var first))
            {
                refused[i] = Reject(item, Refusal.Invalid, "period", $"Duplicate of item {first}: one value per KPI and period in a batch.", kpi, periodStart, zone);
                continue;
            }
            seen[(kpi.Id, periodStart.UtcTicks)] = item.Index;
            if (!kpiTexts.TryGetValue(kpi.Id, out var kpiText)) kpiTexts[kpi.Id] = kpiText = Database.SqliteText(kpi.Id);
            var id = Guid.CreateVersion7();
            // Blank is absent, as in an import, where an empty CSV field cannot be told from a missing one: otherwise a
            // blank note would export as an empty field and re-import as a change.
            accepted.Add(new Accepted(i, item, kpi, periodStart, value, item.Source ?? MeasurementLimits.DefaultSource,
                string.IsNullOrWhiteSpace(item.Note) ? null : item.Note.Trim(), string.IsNullOrWhiteSpace(item.ExternalId) ? null : item.ExternalId.Trim(),
                KpiPeriods.Label(kpi.Frequency, periodStart, zone), id, Database.SqliteText(id), kpiText,
                Database.SqliteText(periodStart), Database.SqliteText(value)));
        }
        return new CheckedItems { Items = items, Kpis = kpis, Forbidden = forbidden, Refused = refused, Accepted = accepted };
    }

    /// <summary>
    /// A batch's checks made before the writer's turn, on a connection of its own, so that parsing and rendering a
    /// thousand items overlap other requests' writes instead of lengthening the turn. Null on SQL Server, where
    /// writers do not take turns.
    /// </summary>
    public static async Task<CheckedItems?> CheckBeforeTurnAsync(DbDataSource db, Dialect dialect, TimeZoneInfo zone, DateTimeOffset now,
        IReadOnlyList<PendingMeasurement> items, KpiAccess access, CancellationToken ct)
    {
        if (dialect.Provider != DatabaseProvider.Sqlite) return null;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await CheckAsync(connection, null, zone, now, items, access, ct);
    }

    /// <summary>
    /// Upserts the items in the caller's transaction. Items checked before it (<paramref name="checkedBefore"/>) are
    /// used as they are when their KPIs are still at the versions read then and the caller's access to them is the
    /// same; otherwise, and when none were checked, they are checked here.
    /// </summary>
    public static async Task<IReadOnlyList<AppliedMeasurement>> ApplyAsync(
        DbConnection connection, DbTransaction transaction, Dialect dialect, TimeZoneInfo zone, DateTimeOffset now,
        IReadOnlyList<PendingMeasurement> items, CheckedItems? checkedBefore, BatchMode mode, KpiAccess access, string recordedBy, CancellationToken ct)
    {
        var checkedItems = checkedBefore is not null && ReferenceEquals(checkedBefore.Items, items) && await StillCurrentAsync(checkedBefore, connection, transaction, access, ct)
            ? checkedBefore
            : await CheckAsync(connection, transaction, zone, now, items, access, ct);
        var results = (AppliedMeasurement?[])checkedItems.Refused.Clone();
        var accepted = checkedItems.Accepted;
        var anyRefused = results.Any(r => r is not null);
        var existing = await LoadExistingAsync(connection, transaction, dialect, accepted, ct);
        var inserts = new List<string?[]>(accepted.Count);
        var archives = new List<StoredRow>();
        var updates = new List<StoredRow>();
        var recordedAt = Texts.Of(now);

        foreach (var a in accepted)
        {
            existing.TryGetValue((a.Kpi.Id, a.PeriodStart.UtcTicks), out var old);
            ItemResult result;
            StoredRow? current = null;

            if (old is null)
            {
                result = ItemResult.Created;
                inserts.Add([a.IdText, a.KpiText, a.PeriodText, a.ValueText, Texts.Of(a.Source), a.Note, a.ExternalId, recordedAt, recordedBy]);
                if (items.Count == 1)
                    current = new StoredRow { Id = a.Id, KpiId = a.Kpi.Id, PeriodStart = a.PeriodStart, Value = a.Value, Source = a.Source, Note = a.Note, ExternalId = a.ExternalId, RecordedAt = now, RecordedBy = recordedBy };
            }
            else if (old.Value == a.Value && old.Note == a.Note && old.ExternalId == a.ExternalId)
            {
                result = ItemResult.Unchanged;
                current = old;
            }
            else
            {
                result = ItemResult.Updated;
                current = new StoredRow { Id = old.Id, KpiId = old.KpiId, PeriodStart = old.PeriodStart, Value = a.Value, Source = a.Source, Note = a.Note, ExternalId = a.ExternalId, RecordedAt = now, RecordedBy = recordedBy };
                archives.Add(old);
                updates.Add(current);
            }

            results[a.Position] = new AppliedMeasurement(
                new ItemOutcome(a.Item.Index, result, a.Kpi.KpiKey, a.Kpi.Id, a.Label, a.PeriodStart, null, null),
                // Only a single push answers with the stored value; a batch answers with outcomes alone.
                items.Count == 1 ? Response(a.Kpi, current!, zone) : null,
                Refusal.None,
                items.Count == 1 && old is not null ? Response(a.Kpi, old, zone) : null);
        }

        if (mode == BatchMode.Partial || !anyRefused)
        {
            if (connection is SqliteConnection sqlite)
            {
                // The hot path of every push: one prepared statement per kind of write, parameters bound by position as
                // text, the way SQLite stores them (Dapper would rebuild and look up every parameter per row).
                Prepared(sqlite, InsertSql, RowParameters, inserts);
                Prepared(sqlite, ArchiveSql, [.. RowParameters, "@SupersededAt", "@SupersededBy", "@Reason"],
                    archives.Select(row => (string?[])[.. RowValues(row, Database.SqliteText(Guid.CreateVersion7())), recordedAt, recordedBy, "replaced"]).ToList());
                Prepared(sqlite, UpdateSql, ["@Id", "@Value", "@Source", "@Note", "@ExternalId", "@RecordedAt", "@RecordedBy"],
                    updates.Select(row => (string?[])[Database.SqliteText(row.Id), Database.SqliteText(row.Value), Texts.Of(row.Source), row.Note, row.ExternalId, recordedAt, recordedBy]).ToList());
            }
            else
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertSql, accepted.Where(a => !existing.ContainsKey((a.Kpi.Id, a.PeriodStart.UtcTicks))).Select(a => new
                {
                    Id = a.Id, KpiId = a.Kpi.Id, a.PeriodStart, a.Value, Source = a.Source.ToString(), a.Note, a.ExternalId, RecordedAt = now, RecordedBy = recordedBy,
                }), transaction, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(ArchiveSql, archives.Select(old => old.Archived(now, recordedBy, "replaced")), transaction, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(UpdateSql, updates.Select(Parameters), transaction, cancellationToken: ct));
            }
        }
        return results!;
    }

    /// <summary>Whether the KPIs of checked items are still at the versions read and the caller's access to them unchanged.</summary>
    private static async Task<bool> StillCurrentAsync(CheckedItems checkedItems, DbConnection connection, DbTransaction transaction, KpiAccess access, CancellationToken ct)
    {
        var now = await LoadKpisAsync(connection, transaction, checkedItems.Items, ct);
        if (now.Count != checkedItems.Kpis.Count
            || !now.All(k => checkedItems.Kpis.Any(before => before.Id == k.Id && before.Version == k.Version && before.KeyNormalized == k.KeyNormalized)))
            return false;
        var forbidden = await ForbiddenAsync(now, access, connection, transaction, ct);
        return forbidden is null
            ? checkedItems.Forbidden is null
            : checkedItems.Forbidden is not null && forbidden.Count == checkedItems.Forbidden.Count
              && forbidden.All(f => checkedItems.Forbidden.TryGetValue(f.Key, out var why) && why == f.Value);
    }

    public static MeasurementResponse Response(KpiRow kpi, StoredRow row, TimeZoneInfo zone) => new(
        kpi.Id, kpi.KpiKey, KpiPeriods.Label(kpi.Frequency, row.PeriodStart, zone), row.PeriodStart,
        Present(kpi.ValueType, row.Value), KpiStatusEngine.Evaluate(kpi.Target(), row.Value),
        row.Source, row.Note, row.ExternalId, row.RecordedAt, row.RecordedBy);

    /// <summary>Boolean KPIs store 1/0 and answer true/false; every other KPI answers its exact decimal.</summary>
    public static object Present(KpiValueType type, decimal value) => type == KpiValueType.Boolean ? value != 0 : value;

    private static readonly string[] RowParameters =
        ["@Id", "@KpiId", "@PeriodStart", "@Value", "@Source", "@Note", "@ExternalId", "@RecordedAt", "@RecordedBy"];

    private static string?[] RowValues(StoredRow row, string id) =>
    [
        id, Texts.Of(row.KpiId), Database.SqliteText(row.PeriodStart), Database.SqliteText(row.Value),
        Texts.Of(row.Source), row.Note, row.ExternalId, Texts.Of(row.RecordedAt), row.RecordedBy,
    ];

    /// <summary>The last rendering of values a batch repeats on every row (its KPI, its time, its source).</summary>
    private static class Texts
    {
        [ThreadStatic] private static (Guid Id, string Text) _kpi;
        [ThreadStatic] private static (DateTimeOffset At, string Text) _at;

        public static string Of(Guid kpiId) =>
            _kpi.Text is not null && _kpi.Id == kpiId ? _kpi.Text : (_kpi = (kpiId, Database.SqliteText(kpiId))).Text;

        public static string Of(DateTimeOffset at) =>
            _at.Text is not null && _at.At == at && _at.At.Offset == at.Offset ? _at.Text : (_at = (at, Database.SqliteText(at))).Text;

        public static string Of(MeasurementSource source) => source switch
        {
            MeasurementSource.Api => nameof(MeasurementSource.Api),
            MeasurementSource.Manual => nameof(MeasurementSource.Manual),
            MeasurementSource.Import => nameof(MeasurementSource.Import),
            MeasurementSource.Computed => nameof(MeasurementSource.Computed),
            _ => source.ToString(),
        };
    }

    private static void Prepared(SqliteConnection connection, string sql, string[] names, List<string?[]> rows)
    {
        if (rows.Count == 0) return;
        using var statement = new SqliteRowStatement(connection, sql, names);
        foreach (var bound in rows)
        {
            for (var i = 0; i < names.Length; i++) statement.Bind(i, bound[i]);
            statement.Execute();
        }
    }

    private static object Parameters(StoredRow row) => new
    {
        row.Id, row.KpiId, row.PeriodStart, row.Value, Source = row.Source.ToString(), row.Note, row.ExternalId, row.RecordedAt, row.RecordedBy,
    };

    /// <summary>Why an item is refused, or null with its KPI, period start and value.</summary>
    private static AppliedMeasurement? Check(PendingMeasurement item, KpiLookup kpis, IReadOnlyDictionary<Guid, string>? forbidden, TimeZoneInfo zone, DateTimeOffset now,
        out KpiRow kpi, out DateTimeOffset periodStart, out decimal value)
    {
        kpi = null!;
        periodStart = default;
        value = 0;
        if (string.IsNullOrWhiteSpace(item.Kpi))
            return Reject(item, Refusal.Invalid, "kpi", "kpi is required: the KPI's key or id.");
        if (kpis.Find(item.Kpi) is not { } found)
            return Reject(item, Refusal.UnknownKpi, "kpi", $"KPI '{item.Kpi}' was not found.");
        kpi = found;
        if (forbidden is not null && forbidden.TryGetValue(kpi.Id, out var why))
            return Reject(item, Refusal.Forbidden, "kpi", why, kpi);
        if (kpi.Status == KpiStatus.Retired)
            return Reject(item, Refusal.Retired, "kpi", $"KPI '{kpi.KpiKey}' is retired and takes no new values; reactivate it first.", kpi);
        if (string.IsNullOrWhiteSpace(item.Period))
            return Reject(item, Refusal.Invalid, "period", "period is required: an instant, a date or a period label.", kpi);
        if (item.Period.Length > MeasurementLimits.PeriodMaxLength)
            return Reject(item, Refusal.Invalid, "period", $"period must be at most {MeasurementLimits.PeriodMaxLength} characters.", kpi);
        if (!KpiPeriods.TryParse(item.Period.Trim(), kpi.Frequency, zone, out periodStart, out var periodError))
            return Reject(item, Refusal.Invalid, "period", periodError!, kpi);
        if (periodStart > now)
            return Reject(item, Refusal.Invalid, "period", $"Period {KpiPeriods.Label(kpi.Frequency, periodStart, zone)} has not started yet.", kpi, periodStart, zone);
        (value, var valueError) = ReadValue(item.Value, kpi.ValueType);
        if (valueError is not null)
            return Reject(item, Refusal.Invalid, "value", valueError, kpi, periodStart, zone);
        if (item.Note?.Length > MeasurementLimits.NoteMaxLength)
            return Reject(item, Refusal.Invalid, "note", $"note must be at most {MeasurementLimits.NoteMaxLength} characters.", kpi, periodStart, zone);
        if (item.ExternalId?.Length > MeasurementLimits.ExternalIdMaxLength)
            return Reject(item, Refusal.Invalid, "externalId", $"externalId must be at most {MeasurementLimits.ExternalIdMaxLength} characters.", kpi, periodStart, zone);
        if (item.Source == MeasurementSource.Import)
            return Reject(item, Refusal.Invalid, "source", "source 'import' is set by the import endpoint; push with manual, api or computed.", kpi, periodStart, zone);
        return null;
    }

    private static AppliedMeasurement Reject(PendingMeasurement item, Refusal refusal, string field, string reason,
        KpiRow? kpi = null, DateTimeOffset? periodStart = null, TimeZoneInfo? zone = null) =>
        new(new ItemOutcome(item.Index, ItemResult.Rejected, kpi?.KpiKey ?? item.Kpi, kpi?.Id,
                periodStart is { } start && kpi is not null ? KpiPeriods.Label(kpi.Frequency, start, zone!) : item.Period,
                periodStart, field, reason),
            null, refusal);

    /// <summary>The value as the KPI stores it, or why it cannot be stored.</summary>
    internal static (decimal Value, string? Error) ReadValue(JsonElement? json, KpiValueType type)
    {
        if (json is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } value)
            return (0, "value is required.");
        if (type == KpiValueType.Boolean)
            return value.ValueKind switch
            {
                JsonValueKind.True => (1, null),
                JsonValueKind.False => (0, null),
                _ => (0, "This KPI is boolean: send true or false."),
            };
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return (0, "This KPI takes numbers; true and false are for boolean KPIs.");
        if (value.ValueKind != JsonValueKind.Number)
            return (0, "Send the value as a JSON number (unquoted), e.g. 42 or -1.5.");

        // The raw text is only needed to explain a refusal or to count digits of a long number; most values need neither.
        var length = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length;
        if (value.TryGetDecimal(out var number) && number != 0 && length <= 28
            && Math.Abs(number) < MeasurementLimits.MaxMagnitude && decimal.Round(number, MeasurementLimits.MaxDecimalPlaces) == number)
            return (number, null);
        var raw = value.GetRawText();
        return value.TryGetDecimal(out number) ? (number, CheckNumber(number, raw)) : (0, OutOfRange(raw));
    }

    /// <summary>Why a parsed number cannot be stored exactly, or null when it can. <paramref name="raw"/> is the text it came from.</summary>
    internal static string? CheckNumber(decimal number, string raw)
    {
        if (Math.Abs(number) >= MeasurementLimits.MaxMagnitude || (number == 0 && HasNonZeroDigit(raw)))
            return OutOfRange(raw);
        if (decimal.Round(number, MeasurementLimits.MaxDecimalPlaces) != number)
            return $"The value {raw} has more than {MeasurementLimits.MaxDecimalPlaces} decimal places, which would not be stored exactly.";
        // decimal holds 28 to 29 significant digits and parsing rounds the rest away (12345678901234567890.123456789012
        // arrives as ...0.123456789), so a value within the range and the decimal places can still lose digits.
        if (SignificantDigits(raw) != SignificantDigits(number.ToString(CultureInfo.InvariantCulture)))
            return $"The value {raw} has more significant digits than are stored exactly (up to 28).";
        return null;
    }

    private static string OutOfRange(string raw) =>
        $"The value {raw} is outside the range stored exactly (up to 26 integer digits and {MeasurementLimits.MaxDecimalPlaces} decimals).";

    private static bool HasNonZeroDigit(string raw) => raw.Split('e', 'E')[0].Any(c => c is >= '1' and <= '9');

    /// <summary>"-0012.3400e1" -> "1234": the digits of a number without sign, point, exponent and surrounding zeros.</summary>
    private static string SignificantDigits(string number) =>
        new string(number.Split('e', 'E')[0].Where(char.IsAsciiDigit).ToArray()).Trim('0');

    /// <summary>The KPIs of a batch by the reference each item used; a batch for one KPI repeats one reference.</summary>
    private sealed class KpiLookup(IReadOnlyList<KpiRow> kpis)
    {
        private readonly Dictionary<string, KpiRow?> _byReference = [];

        public KpiRow? Find(string reference)
        {
            if (_byReference.TryGetValue(reference, out var known)) return known;
            var trimmed = reference.Trim();
            var kpi = Guid.TryParse(trimmed, out var id)
                ? kpis.FirstOrDefault(k => k.Id == id)
                : kpis.FirstOrDefault(k => k.KeyNormalized == KpiDefinition.NormalizeKey(trimmed));
            return _byReference[reference] = kpi;
        }
    }

    /// <summary>The KPIs of the batch the caller may not write, with the reason; null when it may write them all.</summary>
    private static async Task<IReadOnlyDictionary<Guid, string>?> ForbiddenAsync(IReadOnlyList<KpiRow> kpis, KpiAccess access,
        DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (access.Unrestricted) return null;
        var forbidden = new Dictionary<Guid, string>();
        foreach (var kpi in kpis)
            if (await access.RefusalAsync(kpi.KpiKey, kpi.OwnerTeamId, connection, transaction, ct) is { } refusal)
                forbidden[kpi.Id] = refusal;
        return forbidden;
    }

    private static async Task<IReadOnlyList<KpiRow>> LoadKpisAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<PendingMeasurement> items, CancellationToken ct)
    {
        var references = items.Select(i => i.Kpi).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim()).Distinct().ToList();
        var ids = references.Where(r => Guid.TryParse(r, out _)).Select(r => Guid.Parse(r).ToString("D")).ToList();
        var keys = references.Where(r => !Guid.TryParse(r, out _)).Select(KpiDefinition.NormalizeKey).Distinct().ToList();
        if (ids.Count == 0 && keys.Count == 0) return [];
        return (await connection.QueryAsync<KpiRow>(new CommandDefinition(KpisSql, new { Ids = ids, Keys = keys }, transaction, cancellationToken: ct))).ToList();
    }

    private static async Task<Dictionary<(Guid, long), StoredRow>> LoadExistingAsync(DbConnection connection, DbTransaction transaction, Dialect dialect,
        IReadOnlyList<Accepted> accepted, CancellationToken ct)
    {
        var existing = new Dictionary<(Guid, long), StoredRow>();
        foreach (var group in accepted.GroupBy(a => a.Kpi.Id))
        {
            var rows = await connection.QueryAsync<StoredRow>(new CommandDefinition(dialect.Choose(SqliteExistingSql, SqlServerExistingSql), new
            {
                KpiId = group.Key,
                From = group.Min(a => a.PeriodStart),
                To = group.Max(a => a.PeriodStart),
            }, transaction, cancellationToken: ct));
            foreach (var row in rows) existing[(row.KpiId, row.PeriodStart.UtcTicks)] = row;
        }
        return existing;
    }
}
