using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using Microsoft.Net.Http.Headers;

namespace OkrKpi.Api.Infrastructure.Import;

public enum ImportFormat { Csv, Ndjson }

/// <summary>One data record of an import: its line number and its fields in the order the importer asked for.</summary>
/// <param name="Problem">Why the record cannot be read as a row (its fields are then empty), or null.</param>
public sealed record ImportRecord(long Line, string?[] Fields, string? Problem = null);

/// <summary>The file itself cannot be read on (bad header, a line over the limit): the whole import is refused.</summary>
public sealed class ImportFileException(string field, string reason) : Exception(reason)
{
    public string Field { get; } = field;
}

public sealed class ImportOptions
{
    /// <summary>Largest import body; a larger declared Content-Length gets 413 before a byte is read.</summary>
    public long BodyBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Longest CSV record or NDJSON line; longer means a malformed file (say, a quote left open), refused whole.</summary>
    public int MaxLineBytes { get; set; } = 64 * 1024;

    /// <summary>Slowest upload accepted after a grace period, so a stalled client cannot hold the writer's turn.</summary>
    public int MinBytesPerSecond { get; set; } = 1024;

    public int MinRateGraceSeconds { get; set; } = 10;
}

/// <summary>Streams CSV (RFC 4180, via CsvHelper) and NDJSON bodies record by record; nothing is buffered whole.</summary>
public static class ImportFormats
{
    public const string CsvMediaType = "text/csv";
    public const string NdjsonMediaType = "application/x-ndjson";

    /// <summary>The format of an import request, or 415 when it is neither CSV nor NDJSON in UTF-8.</summary>
    public static ImportFormat Of(HttpRequest request) =>
        FromContentType(request.ContentType)
            ?? throw new Errors.UnsupportedMediaTypeException($"Send {CsvMediaType} or {NdjsonMediaType} in UTF-8.");

    /// <summary>The format of a Content-Type, or null when it is neither CSV nor NDJSON in UTF-8.</summary>
    public static ImportFormat? FromContentType(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return null;
        if (media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) return null;
        return media.MediaType.Value?.ToLowerInvariant() switch
        {
            CsvMediaType => ImportFormat.Csv,
            NdjsonMediaType or "application/jsonl" or "application/x-jsonlines" => ImportFormat.Ndjson,
            _ => null,
        };
    }

    /// <summary>
    /// The records of a CSV body with a header. Columns are matched by header name (any order, any case);
    /// a missing required column or an unknown one refuses the file. Fields come back in <paramref name="columns"/>
    /// order, an empty field as null. Malformed quoting refuses the file with its line number; a record with more or
    /// fewer fields than the header comes back as a <see cref="ImportRecord.Problem"/>, for the importer to reject.
    /// </summary>
    public static async IAsyncEnumerable<ImportRecord> ReadCsvAsync(Stream body, string[] columns, string[] required, int maxRecord,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            TrackLineNumbers = true,
            MaxRecordSize = maxRecord,
            MalformedData = CsvMalformedDataHandling.Throw,
            SkipEmptyLines = true,
            NullValues = [""],
            IncludeValuesInExceptions = false,
            DetectSeparatorHint = false,
        };
        await using var reader = CsvReader.Create(body, options, leaveOpen: true);
        int[] positions;
        try
        {
            await reader.ReadHeaderAsync(ct);
            positions = MapHeader(reader.Headers, columns, required);
        }
        catch (CsvFormatException e)
        {
            throw new ImportFileException("header", $"Line {e.LineNumber}: {e.Message}");
        }

        while (true)
        {
            try
            {
                if (!await reader.ReadAsync(ct)) yield break;
            }
            catch (CsvFormatException e)
            {
                throw new ImportFileException("body", $"Line {e.LineNumber}: {e.Message}");
            }
            // A field too many or too few shifts the columns: an unquoted "1,234.5" would otherwise be stored as 1.
            if (reader.FieldCount != reader.Headers.Count)
            {
                yield return new ImportRecord(reader.LineNumber, [], $"The line has {reader.FieldCount} field(s) but the header has {reader.Headers.Count}; "
                    + "quote a field that contains a comma.");
                continue;
            }
            var fields = new string?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
                if (positions[i] >= 0) fields[i] = reader.GetStringOrNull(positions[i]);
            yield return new ImportRecord(reader.LineNumber, fields);
        }
    }

    private static int[] MapHeader(IReadOnlyList<string> names, string[] columns, string[] required)
    {
        var header = names.Select(h => h.Trim()).ToArray();
        if (header.Length == 0)
            throw new ImportFileException("header", $"The file is empty; the first line must be the header: {string.Join(',', columns)}.");
        var unknown = header.Where(h => !columns.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
        var missing = required.Where(r => !header.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        var repeated = header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (unknown.Count > 0 || missing.Count > 0 || repeated.Count > 0)
            throw new ImportFileException("header", string.Join(" ", new[]
            {
                missing.Count > 0 ? $"Missing column(s): {string.Join(", ", missing)}." : null,
                unknown.Count > 0 ? $"Unknown column(s): {string.Join(", ", unknown)}." : null,
                repeated.Count > 0 ? $"Repeated column(s): {string.Join(", ", repeated)}." : null,
                $"Expected header: {string.Join(',', columns)} (required: {string.Join(", ", required)}).",
            }.Where(s => s is not null)));
        return columns.Select(c => Array.FindIndex(header, h => h.Equals(c, StringComparison.OrdinalIgnoreCase))).ToArray();
    }

    /// <summary>The non-blank lines of an NDJSON body, LF or CRLF, a UTF-8 BOM ignored; a line over the limit refuses the file.</summary>
    public static async IAsyncEnumerable<(long Line, byte[] Json)> ReadNdjsonAsync(Stream body, int maxLine, [EnumeratorCancellation] CancellationToken ct)
    {
        // leaveOpen: the body is the caller's (an Idempotency-Key import hashes the rest of it after the rows are read).
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var line = 0L;
        var first = true;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(ct);
                var buffer = read.Buffer;
                while (TryTakeLine(ref buffer, out var bytes))
                {
                    line++;
                    if (Trim(bytes, ref first) is { Length: > 0 } json) yield return (line, json);
                }
                if (buffer.Length > maxLine)
                    throw new ImportFileException("body", $"Line {line + 1} is longer than {maxLine} bytes.");
                if (read.IsCompleted)
                {
                    if (buffer.Length > 0 && Trim(buffer.ToArray(), ref first) is { Length: > 0 } last) yield return (line + 1, last);
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out byte[] line)
    {
        if (buffer.PositionOf((byte)'\n') is not { } end)
        {
            line = [];
            return false;
        }
        line = buffer.Slice(0, end).ToArray();
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }

    private static byte[] Trim(byte[] line, ref bool first)
    {
        var span = line.AsSpan();
        if (first && span.StartsWith("\uFEFF"u8)) span = span[3..];
        first = false;
        if (span.EndsWith("\r"u8)) span = span[..^1];
        return span.Trim(" \t"u8).Length == 0 ? [] : span.ToArray();
    }
}

/// <summary>Hashes what passes through it, so a streamed body can be fingerprinted for Idempotency-Key without a second read.</summary>
public sealed class HashingStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The hash of the whole body; whatever the importer left unread (it stops early on a bad file) is read first.</summary>
    public async Task<string> FinishAsync(CancellationToken ct)
    {
        var rest = new byte[64 * 1024];
        int n;
        while ((n = await inner.ReadAsync(rest, ct)) > 0) _hash.AppendData(rest, 0, n);
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        _hash.AppendData(buffer, offset, n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        _hash.AppendData(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
