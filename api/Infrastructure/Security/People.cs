using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>What every part that creates or checks a person shares: email normalisation, password hashing, the insert.</summary>
public static class People
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 128;

    // ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, 100,000 iterations, salted, versioned), without the rest of Identity.
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Subject = new();

    // Verifying against this when the email is unknown makes a wrong email cost as long as a wrong password.
    // Lazy: hashing costs as much as a sign-in, and start-up must not pay it.
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(Subject, "not-a-real-password-for-timing"));

    public const string InsertSql = """
        INSERT INTO AppUser (Id, Email, EmailNormalized, DisplayName, Role, PasswordHash, ExternalSubject, Disabled, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @Email, @EmailNormalized, @DisplayName, @Role, @PasswordHash, @ExternalSubject, 0, 1, @Now, @Now)
        """;

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    public static bool LooksLikeEmail(string email)
    {
        var trimmed = email.Trim();
        var at = trimmed.IndexOf('@');
        return at > 0 && at == trimmed.LastIndexOf('@') && at < trimmed.Length - 1 && !trimmed.Any(char.IsWhiteSpace);
    }

    public static string HashPassword(string password) => Hasher.HashPassword(Subject, password);

    public enum Verification { Failed, Succeeded, SucceededRehashNeeded }

    public static Verification VerifyPassword(string? hash, string password) =>
        Hasher.VerifyHashedPassword(Subject, hash ?? DummyHash.Value, password) switch
        {
            _ when hash is null => Verification.Failed,
            PasswordVerificationResult.Success => Verification.Succeeded,
            PasswordVerificationResult.SuccessRehashNeeded => Verification.SucceededRehashNeeded,
            _ => Verification.Failed,
        };

    public static Task InsertAsync(DbConnection connection, DbTransaction? transaction, Guid id, string email, string displayName, Role role,
        string? password, DateTimeOffset now, CancellationToken ct, string? externalSubject = null) =>
        connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            Id = id,
            Email = email.Trim(),
            EmailNormalized = NormalizeEmail(email),
            DisplayName = displayName.Trim(),
            Role = role.ToString(),
            PasswordHash = password is null ? null : HashPassword(password),
            ExternalSubject = externalSubject,
            Now = now,
        }, transaction, cancellationToken: ct));
}
