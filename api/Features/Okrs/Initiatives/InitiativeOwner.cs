using System.Data.Common;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// What an initiative serves: a key result, or an objective as a whole; exactly one of the two ids is set. Adding and
/// listing initiatives is the same for both; only which row must exist and who may write differ.
/// </summary>
public readonly record struct InitiativeOwner(Guid? KeyResultId, Guid? ObjectiveId)
{
    // Ordinal: the next place under the owner, so its initiatives list in the order they were added. The id left
    // NULL matches no row, so each OR keeps to the owner's own initiatives.
    internal const string InsertSql = """
        INSERT INTO Initiative (Id, KeyResultId, ObjectiveId, Ordinal, Title, Status, ExternalUrl, Version, CreatedAt, UpdatedAt)
        SELECT @Id, @KeyResultId, @ObjectiveId, COALESCE(MAX(Ordinal), 0) + 1, @Title, @Status, @ExternalUrl, 1, @Now, @Now
        FROM Initiative
        WHERE KeyResultId = @KeyResultId OR ObjectiveId = @ObjectiveId
        """;

    internal const string ListSql = $"""
        SELECT {InitiativeResponse.Columns} FROM Initiative
        WHERE KeyResultId = @KeyResultId OR ObjectiveId = @ObjectiveId
        ORDER BY Ordinal, CreatedAt, Id
        """;

    public static InitiativeOwner OfKeyResult(Guid keyResultId) => new(keyResultId, null);

    public static InitiativeOwner OfObjective(Guid objectiveId) => new(null, objectiveId);

    public static InitiativeOwner Of(InitiativeResponse initiative) => new(initiative.KeyResultId, initiative.ObjectiveId);

    /// <summary>404 when the key result or objective does not exist.</summary>
    public async Task EnsureExistsAsync(DbConnection connection, CancellationToken ct)
    {
        if (KeyResultId is { } keyResultId)
            await KeyResultHead.GetAsync(connection, keyResultId, ct);
        else
            await ObjectiveHead.GetAsync(connection, ObjectiveId!.Value, ct);
    }

    /// <summary>Whoever may write the key result or objective may write its initiatives, while its cycle is open.</summary>
    public async Task EnsureMayWriteAsync(Caller caller, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (KeyResultId is { } keyResultId)
        {
            var keyResult = await KeyResultHead.GetAsync(connection, keyResultId, ct, transaction);
            await keyResult.EnsureMayWriteAsync(caller, connection, transaction, ct);
            await keyResult.OpenCycleAsync(connection, transaction, "its initiatives", ct);
            return;
        }
        var objective = await ObjectiveHead.GetAsync(connection, ObjectiveId!.Value, ct, transaction);
        await objective.EnsureMayWriteAsync(caller, connection, transaction, ct);
        (await CycleRow.GetAsync(connection, objective.CycleId, ct, transaction)).EnsureOpen("its initiatives");
    }
}
