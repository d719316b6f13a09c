using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>A Cycle row.</summary>
internal sealed class CycleRow
{
    public const string Columns = "c.Id, c.Name, c.NameNormalized, c.StartDate, c.EndDate, c.Status, c.Version, c.CreatedAt, c.UpdatedAt";

    private const string SelectSql = $"SELECT {Columns} FROM Cycle AS c WHERE c.Id = @Id";

    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string NameNormalized { get; init; } = "";
    public DateOnly StartDate { get; init; }
    public DateOnly EndDate { get; init; }
    public CycleStatus Status { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public CycleResponse ToResponse() => new(Id, Name, StartDate, EndDate, Status, Version, CreatedAt, UpdatedAt);

    /// <summary>Whether this cycle's days contain all of <paramref name="other"/>'s (an enclosing cycle, or the same dates).</summary>
    public bool Encloses(CycleRow other) => StartDate <= other.StartDate && EndDate >= other.EndDate;

    public static Task<CycleRow?> FindAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<CycleRow>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct));

    public static async Task<CycleRow> GetAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        await FindAsync(connection, id, ct, transaction) ?? throw new NotFoundException($"Cycle '{id}' was not found.");

    /// <summary>The cycle named in a body: a missing one is a field error, not a 404 of the resource.</summary>
    public static async Task<CycleRow> ForFieldAsync(DbConnection connection, Guid id, string field, CancellationToken ct, DbTransaction? transaction = null) =>
        await FindAsync(connection, id, ct, transaction) ?? throw new ValidationException([new(field, $"Cycle '{id}' does not exist.")]);

    public static string Normalize(string name) => name.Trim().ToUpperInvariant();
}
