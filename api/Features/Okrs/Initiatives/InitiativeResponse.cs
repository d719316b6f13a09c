using System.Data.Common;
using Dapper;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Work meant to move a key result, or its objective as a whole: a Jira epic, an Azure DevOps feature, a plain to-do.</summary>
/// <param name="KeyResultId">The key result it serves; null for an initiative of the objective.</param>
/// <param name="ObjectiveId">The objective it serves directly; null for an initiative of a key result.</param>
public sealed record InitiativeResponse(Guid Id, Guid? KeyResultId, Guid? ObjectiveId, string Title, InitiativeStatus Status, string? ExternalUrl,
    long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    internal const string Columns = "Id, KeyResultId, ObjectiveId, Title, Status, ExternalUrl, Version, CreatedAt, UpdatedAt";

    private const string SelectSql = $"SELECT {Columns} FROM Initiative WHERE Id = @Id";

    internal static async Task<InitiativeResponse?> FindAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<InitiativeRow>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct)))?.ToResponse();

    internal static async Task<InitiativeResponse> GetAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        await FindAsync(connection, id, ct, transaction) ?? throw new NotFoundException($"Initiative '{id}' was not found.");
}

/// <summary>An Initiative row (enums are stored by name).</summary>
internal sealed class InitiativeRow
{
    public Guid Id { get; init; }
    public Guid? KeyResultId { get; init; }
    public Guid? ObjectiveId { get; init; }
    public string Title { get; init; } = "";
    public InitiativeStatus Status { get; init; }
    public string? ExternalUrl { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public InitiativeResponse ToResponse() => new(Id, KeyResultId, ObjectiveId, Title, Status, ExternalUrl, Version, CreatedAt, UpdatedAt);
}
