using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>Versions travel as strong ETags ("3"); updates must name the version they were based on.</summary>
public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    public static void Set(HttpResponse response, long version) => response.Headers.ETag = For(version);

    /// <summary>The version named by a required If-Match, or null for "*" (any current version).</summary>
    public static long? Required(string? ifMatch) =>
        string.IsNullOrWhiteSpace(ifMatch)
            ? throw new PreconditionRequiredException("This update needs an If-Match header with the ETag you last read, so it cannot overwrite someone else's change.")
            : Parse(ifMatch);

    /// <summary>The version named by an optional If-Match, or null when absent or "*".</summary>
    public static long? Optional(string? ifMatch) => string.IsNullOrWhiteSpace(ifMatch) ? null : Parse(ifMatch);

    /// <summary>
    /// The rows an UPDATE guarded by "AND Version = @Version" (the version this transaction read and checked) changed.
    /// None means another writer committed in between; without the guard SQL Server's read committed would let the
    /// later write silently replace the earlier one.
    /// </summary>
    public static void EnsureUpdated(int rows, string what)
    {
        if (rows == 0) throw new PreconditionFailedException($"{what} has just been changed by someone else; read it again.");
    }

    private static long? Parse(string ifMatch)
    {
        var value = ifMatch.Trim();
        if (value == "*") return null;
        // If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never matches, and neither does a list,
        // since one resource has one current version.
        return value.Length > 2 && value[0] == '"' && value[^1] == '"' && long.TryParse(value[1..^1], out var version)
            ? version
            : throw new PreconditionFailedException("If-Match does not name a current version of this resource.");
    }
}
