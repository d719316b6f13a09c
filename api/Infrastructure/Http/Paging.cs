using System.Buffers.Text;
using System.Text;
using FluentValidation;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>One page of a list and the opaque cursor for the next one (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Keyset paging: the cursor is the sort key of the last item, opaque to clients.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Longer than any cursor this API issues (a key of at most 64 characters or a time and an id, encoded).</summary>
    public const int MaxCursorLength = 512;
    private const string Prefix = "v1:";

    public static string Encode(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastKey));

    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        return TryDecode(cursor, out var key) ? key : throw new ValidationException([new("cursor", "The cursor is not one this API issued.")]);
    }

    public static bool IsValid(string? cursor) => string.IsNullOrEmpty(cursor) || TryDecode(cursor, out _);

    /// <summary>
    /// No cursor (absent or empty: the first page), or one this API issued whose key <paramref name="keyIsValid"/>
    /// accepts when the list's sort key has parts of its own.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> MustBeACursor<T>(this IRuleBuilder<T, string?> rule, Func<string, bool>? keyIsValid = null) =>
        rule.Must(cursor => string.IsNullOrEmpty(cursor) || (TryDecode(cursor, out var key) && (keyIsValid is null || keyIsValid(key))))
            .WithMessage("The cursor is not one this API issued.");

    /// <summary>Cuts the extra row a query fetched to learn whether another page exists.</summary>
    public static Page<T> Of<T>(IReadOnlyList<T> rows, int limit, Func<T, string> sortKey) =>
        rows.Count > limit
            ? new Page<T>(rows.Take(limit).ToList(), Encode(sortKey(rows[limit - 1])))
            : new Page<T>(rows, null);

    public static IRuleBuilderOptions<T, int?> MustBeAPageLimit<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, MaxLimit).WithMessage($"limit must be between 1 and {MaxLimit}.");

    private static bool TryDecode(string cursor, out string key)
    {
        key = "";
        if (cursor.Length > MaxCursorLength) return false;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (!text.StartsWith(Prefix)) return false;
            key = text[Prefix.Length..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
