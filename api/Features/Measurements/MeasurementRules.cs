using System.Globalization;
using System.Text;
using System.Text.Json;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>A value as it arrived: a JSON number or boolean, any other JSON (refused by name), nothing, or a CSV field.</summary>
internal readonly record struct RawValue(RawValueKind Kind, string? Text)
{
    public static readonly RawValue Missing = new(RawValueKind.Missing, null);

    public static RawValue FromJson(JsonElement? json) => json switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => Missing,
        { ValueKind: JsonValueKind.Number } number => new(RawValueKind.Number, number.GetRawText()),
        { ValueKind: JsonValueKind.True } => new(RawValueKind.Boolean, "true"),
        { ValueKind: JsonValueKind.False } => new(RawValueKind.Boolean, "false"),
        _ => new(RawValueKind.OtherJson, null),
    };

    /// <summary>A CSV field: the text decides, since CSV has no kinds.</summary>
    public static RawValue FromText(string? text) =>
        string.IsNullOrWhiteSpace(text) ? Missing
        : text.Trim() is var trimmed && (trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("false", StringComparison.OrdinalIgnoreCase))
            ? new(RawValueKind.Boolean, trimmed.ToLowerInvariant())
            : new(RawValueKind.Number, trimmed);
}

internal enum RawValueKind { Missing, Number, Boolean, OtherJson }

/// <summary>One value of a push, a batch or an import line, before its KPI and period are known to be valid. Kpi is a key or an id.</summary>
/// <param name="Position">The item's index in a batch, or the line of an import.</param>
internal sealed record MeasurementItem(long Position, string? Kpi, string? Period, RawValue Value, string? Note, string? ExternalId, MeasurementSource? Source);

/// <summary>A value as stored: exact decimal, its text as both databases keep it, and whether digits were rounded away to get it.</summary>
internal readonly record struct StoredValue(decimal Value, string Text, bool Rounded);

/// <summary>An item after the rules: accepted or refused.</summary>
internal abstract record CheckedMeasurement(long Position);

/// <summary>An item the rules accepted: what the writer stores for it.</summary>
internal sealed record AcceptedMeasurement(long Position, KpiRow Kpi, DateTimeOffset PeriodStart, StoredValue Value, MeasurementSource Source,
    string? Note, string? ExternalId) : CheckedMeasurement(Position);

/// <summary>Why an item was refused; Retired, Computed, FedByEvents and NotFedByEvents are conflicts with the KPI's state (409 for a single push).</summary>
internal enum Refusal { None, Invalid, UnknownKpi, Forbidden, Retired, Computed, FedByEvents, NotFedByEvents }

/// <summary>Why an item was refused: the field to blame and the reason, with its KPI and period when they were known.</summary>
internal sealed record RefusedMeasurement(long Position, Refusal Kind, string Field, string Reason, string? Kpi, Guid? KpiId, string? Period, DateTimeOffset? PeriodStart)
    : CheckedMeasurement(Position);

/// <summary>
/// The rules every measurement obeys, whichever way it arrives (single push, batch, CSV or NDJSON import), with
/// their messages: the KPI is known, writable by the caller and not retired; the period parses for the KPI's
/// frequency and has started (a few minutes of clock skew forgiven); the value is of the KPI's kind and within what is stored; note and externalId fit.
/// A value with more digits than are stored is rounded half to even, never refused (see docs/measurement-values.md).
/// </summary>
internal sealed class MeasurementRules(TimeZoneInfo zone, DateTimeOffset now)
{
    /// <summary>Values are kept with up to 28 decimal places (the decimal type's limit) and 28 significant digits.</summary>
    public const int MaxDecimalPlaces = 28;

    /// <summary>
    /// Values stay below 10^26 in magnitude: far beyond any business figure, and small enough that sums and averages
    /// of a long series stay within the decimal type.
    /// </summary>
    public static readonly decimal MaxMagnitude = 100_000_000_000_000_000_000_000_000m;

    public const string KpiRequired = "kpi is required: the KPI's key or id.";

    public static string UnknownKpi(string reference) => $"KPI '{reference}' was not found.";

    public static string Retired(KpiRow kpi) => $"KPI '{kpi.KpiKey}' is retired and takes no new values; reactivate it first.";

    public static string Computed(KpiRow kpi) =>
        $"KPI '{kpi.KpiKey}' is computed by its formula ({kpi.Formula}); its values follow its inputs and cannot be pushed, imported or deleted.";

    public static string FedByEvents(KpiRow kpi) =>
        $"KPI '{kpi.KpiKey}' is fed by events: its values are the {kpi.Aggregation.ToString().ToLowerInvariant()} of the events of each period; "
        + $"record occurrences with POST /api/v1/kpis/{kpi.KpiKey}/events instead of pushing, importing or deleting values.";

    /// <summary>Why values cannot be written to the KPI directly (it is computed or fed by events), or null when they can.</summary>
    public static (Refusal Kind, string Reason)? NotFedByValues(KpiRow kpi) => kpi.FedBy switch
    {
        KpiFedBy.Formula => (Refusal.Computed, Computed(kpi)),
        KpiFedBy.Events => (Refusal.FedByEvents, FedByEvents(kpi)),
        _ => null,
    };

    /// <summary>Accepts the item or says why not. <paramref name="forbidden"/> is the reason the caller may not write the KPI, if any.</summary>
    public CheckedMeasurement Check(MeasurementItem item, KpiRow? kpi, string? forbidden, bool imported)
    {
        if (string.IsNullOrWhiteSpace(item.Kpi))
            return Refuse(item, Refusal.Invalid, "kpi", KpiRequired);
        if (kpi is null)
            return Refuse(item, Refusal.UnknownKpi, "kpi", UnknownKpi(item.Kpi));
        if (forbidden is not null)
            return Refuse(item, Refusal.Forbidden, "kpi", forbidden, kpi);
        if (kpi.Status == KpiStatus.Retired)
            return Refuse(item, Refusal.Retired, "kpi", Retired(kpi), kpi);
        if (NotFedByValues(kpi) is { } notValues)
            return Refuse(item, notValues.Kind, "kpi", notValues.Reason, kpi);
        if (string.IsNullOrWhiteSpace(item.Period))
            return Refuse(item, Refusal.Invalid, "period", "period is required: an instant, a date or a period label.", kpi);
        if (item.Period.Length > MeasurementLimits.PeriodMaxLength)
            return Refuse(item, Refusal.Invalid, "period", $"period must be at most {MeasurementLimits.PeriodMaxLength} characters.", kpi);
        if (!KpiPeriods.TryParse(item.Period.Trim(), kpi.Frequency, zone, out var periodStart, out var periodError))
            return Refuse(item, Refusal.Invalid, "period", periodError!, kpi);
        if (periodStart > now + KpiPeriods.ClockSkew)
            return Refuse(item, Refusal.Invalid, "period", $"Period {KpiPeriods.Label(kpi.Frequency, periodStart, zone)} has not started yet.", kpi, periodStart);
        // A sender's clock a little fast (KpiPeriods.ClockSkew, as for events) names the next period a moment early: it means now's.
        if (periodStart > now)
            periodStart = KpiPeriods.StartOf(kpi.Frequency, now, zone);
        var (value, valueError) = ReadValue(item.Value, kpi.ValueType);
        if (valueError is not null)
            return Refuse(item, Refusal.Invalid, "value", valueError, kpi, periodStart);
        if (TextError(item.Note, "note", MeasurementLimits.NoteMaxLength) is { } noteError)
            return Refuse(item, Refusal.Invalid, "note", noteError, kpi, periodStart);
        if (TextError(item.ExternalId, "externalId", MeasurementLimits.ExternalIdMaxLength) is { } externalIdError)
            return Refuse(item, Refusal.Invalid, "externalId", externalIdError, kpi, periodStart);
        if (!imported && item.Source == MeasurementSource.Import)
            return Refuse(item, Refusal.Invalid, "source", "source 'import' is set by the import endpoint; push with manual, api or computed.", kpi, periodStart);
        if (item.Source == MeasurementSource.Events)
            return Refuse(item, Refusal.Invalid, "source", "source 'events' is set for values derived from events; push with manual, api or computed.", kpi, periodStart);
        // Blank is absent, as in an import, where an empty CSV field cannot be told from a missing one: otherwise a
        // blank note would export as an empty field and re-import as a change.
        return new AcceptedMeasurement(item.Position, kpi, periodStart, value, imported ? MeasurementSource.Import : item.Source ?? MeasurementLimits.DefaultSource,
            NullIfBlank(item.Note), NullIfBlank(item.ExternalId));
    }

    /// <summary>The refusal of an item that repeats the KPI and period of an earlier one in the same batch.</summary>
    public RefusedMeasurement Duplicate(AcceptedMeasurement item, long first) =>
        new(item.Position, Refusal.Invalid, "period", $"Duplicate of item {first}: one value per KPI and period in a batch.",
            item.Kpi.KpiKey, item.Kpi.Id, KpiPeriods.Label(item.Kpi.Frequency, item.PeriodStart, zone), item.PeriodStart);

    public const string DuplicateLine = "The same KPI and period appear on an earlier line of this import.";

    /// <summary>Whether a stored value would be replaced by an identical one: then nothing is written and the item is unchanged.</summary>
    public static bool IsUnchanged(decimal storedValue, string? storedNote, string? storedExternalId, AcceptedMeasurement item) =>
        storedValue == item.Value.Value && storedNote == item.Note && storedExternalId == item.ExternalId;

    public string Label(KpiRow kpi, DateTimeOffset periodStart) => KpiPeriods.Label(kpi.Frequency, periodStart, zone);

    /// <summary>The value as the KPI stores it, or why it cannot be stored.</summary>
    internal static (StoredValue Value, string? Error) ReadValue(RawValue raw, KpiValueType type)
    {
        if (raw.Kind == RawValueKind.Missing)
            return (default, "value is required.");
        if (type == KpiValueType.Boolean)
            return raw.Kind == RawValueKind.Boolean
                ? (raw.Text == "true" ? new StoredValue(1, "1", false) : new StoredValue(0, "0", false), null)
                : (default, "This KPI is boolean: send true or false.");
        return raw.Kind switch
        {
            RawValueKind.Boolean => (default, "This KPI takes numbers; true and false are for boolean KPIs."),
            RawValueKind.OtherJson => (default, "Send the value as a JSON number (unquoted), e.g. 42 or -1.5."),
            _ => ReadNumber(raw.Text!),
        };
    }

    /// <summary>
    /// A number rounded half to even to what is stored (28 decimal places, 28 to 29 significant digits, as the decimal
    /// parser does), in its shortest text: 1.50 is stored as 1.5. Only a magnitude of 10^26 or more is refused.
    /// </summary>
    internal static (StoredValue Value, string? Error) ReadNumber(string text)
    {
        const NumberStyles styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!decimal.TryParse(text, styles, CultureInfo.InvariantCulture, out var number))
            return (default, double.TryParse(text, styles, CultureInfo.InvariantCulture, out _) && text.Any(char.IsAsciiDigit)
                ? OutOfRange(text)
                : "value must be a number with a '.' decimal point and no thousands separators, e.g. -1234.5.");
        if (Math.Abs(number) >= MaxMagnitude)
            return (default, OutOfRange(text));

        var (value, stored) = Shortest(number);
        // Written in 28 characters or fewer without an exponent, a number has at most 28 digits and 27 decimals: kept as sent.
        var rounded = (text.Length > 28 || text.Contains('e') || text.Contains('E')) && SignificantDigits(text) != SignificantDigits(stored);
        return (new StoredValue(value, stored, rounded), null);
    }

    private static string OutOfRange(string text) => $"The value {text} is outside the range stored: its magnitude must be below 10^26.";

    /// <summary>
    /// The number with the fewest decimals that keeps its value, and its text: 1.50 (which a decimal keeps with two
    /// decimals) is 1.5, -0.0 is 0. Equal values are then stored, answered and compared alike.
    /// </summary>
    internal static (decimal Value, string Text) Shortest(decimal number)
    {
        if (number == 0) return (0m, "0");
        var text = number.ToString(CultureInfo.InvariantCulture);
        if (number.Scale == 0 || text[^1] != '0') return (number, text);
        var trimmed = text.TrimEnd('0').TrimEnd('.');
        return (decimal.Parse(trimmed, CultureInfo.InvariantCulture), trimmed);
    }

    /// <summary>"-0012.3400e1" -> "1234": the digits of a number without sign, point, exponent and surrounding zeros.</summary>
    private static string SignificantDigits(string number) =>
        new string(number.Split('e', 'E')[0].Where(char.IsAsciiDigit).ToArray()).Trim('0');

    /// <summary>Why a note or external id cannot be stored: too long, or not text (an unpaired surrogate, which no database stores faithfully).</summary>
    private static string? TextError(string? text, string field, int maxLength)
    {
        if (text is null) return null;
        if (text.Length > maxLength) return $"{field} must be at most {maxLength} characters.";
        return text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !IsValidUtf16(text)
            ? $"{field} contains an unpaired surrogate (\\ud800-\\udfff); send valid Unicode text."
            : null;
    }

    private static bool IsValidUtf16(string text)
    {
        var used = 0;
        for (var i = 0; i < text.Length; i += used)
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out _, out used) != System.Buffers.OperationStatus.Done) return false;
        return true;
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private RefusedMeasurement Refuse(MeasurementItem item, Refusal kind, string field, string reason, KpiRow? kpi = null, DateTimeOffset? periodStart = null) =>
        new(item.Position, kind, field, reason, kpi?.KpiKey ?? item.Kpi, kpi?.Id,
            periodStart is { } start && kpi is not null ? Label(kpi, start) : item.Period, periodStart);
}
