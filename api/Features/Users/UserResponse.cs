using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Users;

/// <summary>A person as every user endpoint returns it; never the password hash.</summary>
public sealed record UserResponse(Guid Id, string Email, string DisplayName, Role Role, IReadOnlyList<Guid> TeamIds, bool Disabled,
    bool HasPassword, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const int EmailMaxLength = 254;
    public const int DisplayNameMaxLength = 100;

    private const string SelectSql = """
        SELECT Id, Email, EmailNormalized, DisplayName, Role, Disabled, CASE WHEN PasswordHash IS NULL THEN 0 ELSE 1 END AS HasPassword, Version, CreatedAt, UpdatedAt
        FROM AppUser
        WHERE Id = @Id AND IsServiceAccount = 0
        """;

    private const string TeamsSql = "SELECT TeamId FROM TeamMember WHERE UserId = @Id ORDER BY TeamId";

    /// <summary>An AppUser row as the user endpoints read it (EmailNormalized orders and pages the list).</summary>
    internal sealed class Row
    {
        public Guid Id { get; init; }
        public string Email { get; init; } = "";
        public string EmailNormalized { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public Role Role { get; init; }
        public bool Disabled { get; init; }
        public bool HasPassword { get; init; }
        public long Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public UserResponse ToResponse(IEnumerable<Guid> teamIds) =>
            new(Id, Email, DisplayName, Role, teamIds.ToList(), Disabled, HasPassword, Version, CreatedAt, UpdatedAt);
    }

    internal static async Task<UserResponse?> LoadAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct));
        if (row is null) return null;
        var teams = await connection.QueryAsync<Guid>(new CommandDefinition(TeamsSql, new { Id = id }, transaction, cancellationToken: ct));
        return row.ToResponse(teams);
    }
}

internal static class UserRules
{
    public static IRuleBuilderOptions<T, string> Email<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotBlank().WithMessage("email is required.")
            .MaximumTrimmedLength(UserResponse.EmailMaxLength).WithMessage($"email must be at most {UserResponse.EmailMaxLength} characters.")
            .Must(email => email is null || People.LooksLikeEmail(email)).WithMessage("email must look like name@example.com.");

    public static IRuleBuilderOptions<T, string> DisplayName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotBlank().WithMessage("displayName is required.")
            .MaximumTrimmedLength(UserResponse.DisplayNameMaxLength)
            .WithMessage($"displayName must be at most {UserResponse.DisplayNameMaxLength} characters.");

    /// <summary>NIST SP 800-63B: a minimum length, a generous maximum, and no composition rules.</summary>
    public static IRuleBuilderOptions<T, string> Password<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotNull().WithMessage($"The password must be at least {People.MinPasswordLength} characters.")
            .Length(People.MinPasswordLength, People.MaxPasswordLength).WithMessage((_, password) => PasswordLengthMessage(password));

    /// <summary>The length rules alone, for a password that may be left out (a person who signs in only through OIDC).</summary>
    public static IRuleBuilderOptions<T, string?> PasswordLength<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Length(People.MinPasswordLength, People.MaxPasswordLength).WithMessage((_, password) => PasswordLengthMessage(password));

    private static string PasswordLengthMessage(string? password) => password?.Length < People.MinPasswordLength
        ? $"The password must be at least {People.MinPasswordLength} characters."
        : $"The password must be at most {People.MaxPasswordLength} characters.";
}
