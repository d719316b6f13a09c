using System.Data.Common;
using Dapper;
using OkrKpi.Api.Features.Users;

namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>
/// The way into a new installation, and back into one whose admins are locked out: when OKRKPI_ADMIN_EMAIL and
/// OKRKPI_ADMIN_PASSWORD are configured, start-up makes sure that person exists, is enabled, is an admin and has
/// that password. Nothing else ever creates a password: outside demo mode there is no default one.
/// </summary>
public sealed class AdminBootstrap(DbDataSource db, TimeProvider clock, IConfiguration configuration, ILogger<AdminBootstrap> logger)
{
    public const string EmailSetting = "OKRKPI_ADMIN_EMAIL";
    public const string PasswordSetting = "OKRKPI_ADMIN_PASSWORD";

    private const string FindSql = "SELECT Id, Role, Disabled, PasswordHash FROM AppUser WHERE EmailNormalized = @EmailNormalized";

    private const string RestoreSql = """
        UPDATE AppUser
        SET Role = 'Admin', Disabled = 0, PasswordHash = @PasswordHash, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id
        """;

    private sealed class Row
    {
        public Guid Id { get; init; }
        public Role Role { get; init; }
        public bool Disabled { get; init; }
        public string? PasswordHash { get; init; }
    }

    public async Task EnsureAsync(CancellationToken ct)
    {
        var email = configuration[EmailSetting];
        var password = configuration[PasswordSetting];
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrEmpty(password)) return;
        // A half-configured recovery is a mistake worth stopping for: the operator expects to be able to sign in.
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            throw new InvalidOperationException($"Set both {EmailSetting} and {PasswordSetting}, or neither.");
        if (!People.LooksLikeEmail(email) || email.Trim().Length > UserResponse.EmailMaxLength)
            throw new InvalidOperationException($"{EmailSetting} must be an email address such as admin@example.com.");
        if (password.Length is < People.MinPasswordLength or > People.MaxPasswordLength)
            throw new InvalidOperationException($"{PasswordSetting} must be {People.MinPasswordLength} to {People.MaxPasswordLength} characters long.");

        var audit = new AuditLog(Caller.System);
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(FindSql, new { EmailNormalized = People.NormalizeEmail(email) }, transaction, cancellationToken: ct));
        if (row is null)
        {
            var id = Guid.CreateVersion7();
            await People.InsertAsync(connection, transaction, id, email, email.Trim().Split('@')[0], Role.Admin, password, now, ct);
            await audit.RecordAsync(connection, transaction, "user", id, "create", null, await UserResponse.LoadAsync(connection, id, ct, transaction), now, ct);
            await transaction.CommitAsync(ct);
            logger.LogInformation("Created the admin {Email} named by {Setting}", email.Trim(), EmailSetting);
            return;
        }

        var passwordDiffers = People.VerifyPassword(row.PasswordHash, password) == People.Verification.Failed;
        if (row.Role == Role.Admin && !row.Disabled && !passwordDiffers)
        {
            logger.LogInformation("The admin {Email} named by {Setting} is enabled and has the configured password", email.Trim(), EmailSetting);
            return;
        }

        var before = await UserResponse.LoadAsync(connection, row.Id, ct, transaction);
        await connection.ExecuteAsync(new CommandDefinition(RestoreSql, new
        {
            row.Id,
            PasswordHash = passwordDiffers ? People.HashPassword(password) : row.PasswordHash,
            Now = now,
        }, transaction, cancellationToken: ct));
        // A new password is a recovery: whoever is signed in as this admin now may not be the operator.
        if (passwordDiffers)
            await UserWrites.EndSessionsAsync(connection, transaction, row.Id, keepIdHash: null, ct);
        await audit.RecordAsync(connection, transaction, "user", row.Id, "restoreAdmin", before, await UserResponse.LoadAsync(connection, row.Id, ct, transaction), now, ct);
        await transaction.CommitAsync(ct);
        logger.LogWarning("Restored the admin {Email} named by {Setting}: role admin, enabled{Password}",
            email.Trim(), EmailSetting, passwordDiffers ? ", the configured password (their sessions ended)" : "");
    }
}
