using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Users;

/// <summary>What the user writes share: team memberships, ending sessions, and the rule that an enabled admin remains.</summary>
internal static class UserWrites
{
    public const int MaxTeams = 100;

    private const string ClearTeamsSql = "DELETE FROM TeamMember WHERE UserId = @UserId";

    // INSERT … SELECT: zero rows means the team does not exist, without a check-then-insert race.
    private const string AddTeamSql = "INSERT INTO TeamMember (UserId, TeamId) SELECT @UserId, Id FROM Team WHERE Id = @TeamId";

    private const string EndSessionsSql = "DELETE FROM UserSession WHERE UserId = @UserId AND (@KeepIdHash IS NULL OR IdHash <> @KeepIdHash)";

    private const string EnabledAdminsSql = "SELECT COUNT(*) FROM AppUser WHERE Role = 'Admin' AND Disabled = 0 AND IsServiceAccount = 0";

    // Person or service account alike: the handler has already read the row as one or the other.
    private const string ReplaceSql = """
        UPDATE AppUser
        SET DisplayName = @DisplayName, Role = @Role, Disabled = @Disabled, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND (@ExpectedVersion IS NULL OR Version = @ExpectedVersion)
        """;

    public const string BumpSql = "UPDATE AppUser SET Version = Version + 1, UpdatedAt = @Now WHERE Id = @Id";

    /// <summary>
    /// Replaces the name, role, disabled flag and teams of an AppUser row, a person's or a service account's (they are the
    /// same row), as of the version the caller read: a 412 naming <paramref name="what"/> when it has moved on since.
    /// </summary>
    public static async Task ReplaceAsync(DbConnection connection, DbTransaction transaction, UserRowChange change, string what, long currentVersion,
        DateTimeOffset now, CancellationToken ct)
    {
        var updated = await connection.ExecuteAsync(new CommandDefinition(ReplaceSql, new
        {
            change.Id,
            change.ExpectedVersion,
            DisplayName = change.DisplayName.Trim(),
            Role = change.Role.ToString(),
            change.Disabled,
            Now = now,
        }, transaction, cancellationToken: ct));
        if (updated == 0)
            throw new PreconditionFailedException($"{what} has changed since you read it (now version {currentVersion}).");
        await ReplaceTeamsAsync(connection, transaction, change.Id, change.TeamIds, ct);
    }

    /// <summary>Makes the person a member of exactly these teams; an unknown team is a 400 naming teamIds[i].</summary>
    public static async Task ReplaceTeamsAsync(DbConnection connection, DbTransaction transaction, Guid userId, IReadOnlyList<Guid> teamIds, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(ClearTeamsSql, new { UserId = userId }, transaction, cancellationToken: ct));
        var unknown = new List<FluentValidation.Results.ValidationFailure>();
        for (var i = 0; i < teamIds.Count; i++)
        {
            var added = await connection.ExecuteAsync(new CommandDefinition(AddTeamSql, new { UserId = userId, TeamId = teamIds[i] }, transaction, cancellationToken: ct));
            if (added == 0) unknown.Add(new($"teamIds[{i}]", $"Team '{teamIds[i]}' does not exist."));
        }
        if (unknown.Count > 0) throw new ValidationException(unknown);
    }

    /// <summary>Ends the person's sessions at once (all of them, or all but the one the request came with).</summary>
    public static Task EndSessionsAsync(DbConnection connection, DbTransaction transaction, Guid userId, string? keepIdHash, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(EndSessionsSql, new { UserId = userId, KeepIdHash = keepIdHash }, transaction, cancellationToken: ct));

    /// <summary>
    /// Refuses (409) a change that leaves nobody able to administer the organisation. Counted inside the change's
    /// transaction after the change, so two admins demoting each other at once cannot both succeed on SQLite's single
    /// writer, and on SQL Server the count waits for the other writer's row lock.
    /// </summary>
    public static async Task EnsureAnEnabledAdminRemainsAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(EnabledAdminsSql, transaction: transaction, cancellationToken: ct)) == 0)
            throw new ConflictException("This change would leave no enabled admin; make someone else an admin first.");
    }

    public static IRuleBuilderOptions<T, IReadOnlyList<Guid>?> TeamIds<T>(this IRuleBuilder<T, IReadOnlyList<Guid>?> rule) =>
        rule.ItemCount(0, MaxTeams).WithMessage($"teamIds must list at most {MaxTeams} teams.")
            .Must(ids => ids is null || ids.Distinct().Count() == ids.Count).WithMessage("teamIds must not name a team twice.");
}

/// <summary>What a full replacement of a user row sets, and the version it was read at (null: whatever is current).</summary>
internal sealed record UserRowChange(Guid Id, long? ExpectedVersion, string DisplayName, Role Role, bool Disabled, IReadOnlyList<Guid> TeamIds);
