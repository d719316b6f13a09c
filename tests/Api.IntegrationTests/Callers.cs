using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using OkrKpi.Api.Infrastructure.Security;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>
/// The people and tokens tests act as. Every test starts with one admin holding an all-scopes token, which the
/// shared client sends; tests about access control arrange other callers here. Rows are inserted directly
/// (the user and token endpoints have tests of their own), and without password hashing unless a test signs in.
/// </summary>
public static class Callers
{
    public static readonly Guid AdminId = Guid.Parse("018f0000-0000-7000-8000-000000000001");
    public const string AdminEmail = "admin@okrkpi.test";
    public const string AdminToken = "okr_a0a0a0a0a0a0a0a0_AdminTokenForTestsOnly0123456789abcdefghijklmn";

    private const string InsertTokenSql = """
        INSERT INTO ApiToken (Id, PublicId, SecretHash, Name, UserId, Scopes, KpiKeys, CreatedAt, ExpiresAt, RevokedAt, LastUsedAt)
        VALUES (@Id, @PublicId, @SecretHash, @Name, @UserId, @Scopes, @KpiKeys, @Now, @ExpiresAt, NULL, NULL)
        """;

    public static HttpClient Client(string? bearer = null, bool cookies = false) => ClientOf(ApiFixture.Factory, bearer, cookies);

    /// <summary>A client of <paramref name="factory"/> whose every answer is checked against openapi.yaml (ContractChecked).</summary>
    public static HttpClient ClientOf(WebApplicationFactory<Program> factory, string? bearer = null, bool cookies = false)
    {
        DelegatingHandler[] handlers = cookies
            ? [new ContractCheckingHandler(), new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler()]
            : [new ContractCheckingHandler()];
        var client = factory.CreateDefaultClient(new Uri("http://localhost"), handlers);
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    /// <summary>The admin and its token; <paramref name="now"/> for a server on the real clock (default: the fixture's fake one).</summary>
    public static async Task SeedAdminAsync(DbConnection connection, DateTimeOffset? now = null)
    {
        await InsertUserAsync(connection, AdminId, AdminEmail, Role.Admin, password: null, now);
        await InsertTokenAsync(connection, AdminId, AdminToken, Scopes.All, now: now);
    }

    public static async Task<Guid> GivenUserAsync(Role role, IEnumerable<Guid>? teams = null, string? email = null, string? password = null)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await ApiFixture.Database.OpenAsync();
        await InsertUserAsync(connection, id, email ?? $"{role.ToString().ToLowerInvariant()}-{id:N}@okrkpi.test", role, password);
        foreach (var team in teams ?? [])
            await connection.ExecuteAsync("INSERT INTO TeamMember (UserId, TeamId) VALUES (@UserId, @TeamId)", new { UserId = id, TeamId = team });
        return id;
    }

    /// <summary>Gives an existing person a password (hashed as the application does, so slow): only for tests that prove one.</summary>
    public static async Task GivenPasswordAsync(Guid userId, string password)
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE AppUser SET PasswordHash = @PasswordHash WHERE Id = @Id", new { Id = userId, PasswordHash = People.HashPassword(password) });
    }

    /// <summary>A token of the user with a known id, for tests that name it in a URL (the token text is not kept).</summary>
    public static async Task GivenTokenAsync(Guid userId, Guid tokenId, IEnumerable<string> scopes)
    {
        var (token, _, _) = ApiTokens.New();
        await using var connection = await ApiFixture.Database.OpenAsync();
        await InsertTokenAsync(connection, userId, token, scopes, id: tokenId);
    }

    /// <summary>A service account (an editor of no team), as an admin would create it.</summary>
    public static async Task GivenServiceAccountAsync(Guid id)
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO AppUser (Id, Email, EmailNormalized, DisplayName, Role, PasswordHash, ExternalSubject, Disabled, Version, CreatedAt, UpdatedAt, IsServiceAccount)
            VALUES (@Id, @Email, @Email, 'service account', 'Editor', NULL, NULL, 0, 1, @Now, @Now, 1)
            """, new { Id = id, Email = $"SERVICE-ACCOUNT-{id:N}@OKRKPI.INVALID", Now = ApiFixture.Clock.GetUtcNow() });
    }

    /// <summary>A generic-json receiver feeding the KPI (defect-rate by default), as an admin would create it.</summary>
    public static async Task GivenReceiverAsync(Guid id, string kpi = "defect-rate")
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO Receiver (Id, Name, Preset, Definition, Enabled, Version, CreatedAt, UpdatedAt)
            VALUES (@Id, 'receiver', 'generic-json', @Definition, 1, 1, @Now, @Now)
            """, new
        {
            Id = id,
            Definition = $$"""{"filter":null,"outputs":[{"kpi":"{{kpi}}","occurredAt":"occurredAt"}]}""",
            Now = ApiFixture.Clock.GetUtcNow(),
        });
    }

    /// <summary>A client acting with a new token of the user, as an integrator would.</summary>
    public static async Task<HttpClient> GivenTokenClientAsync(Guid userId, IEnumerable<string> scopes, IEnumerable<string>? kpiKeys = null)
    {
        var (token, _, _) = ApiTokens.New();
        await using var connection = await ApiFixture.Database.OpenAsync();
        await InsertTokenAsync(connection, userId, token, scopes, kpiKeys);
        return Client(token);
    }

    /// <summary>A new token of the user, as the text a caller sends.</summary>
    public static async Task<string> GivenBearerAsync(Guid userId, IEnumerable<string> scopes)
    {
        var (token, _, _) = ApiTokens.New();
        await using var connection = await ApiFixture.Database.OpenAsync();
        await InsertTokenAsync(connection, userId, token, scopes);
        return token;
    }

    /// <summary>A client for a new person of the role, member of the teams, acting with a token holding every scope the role allows.</summary>
    public static async Task<HttpClient> GivenPersonClientAsync(Role role, params Guid[] teams)
    {
        var user = await GivenUserAsync(role, teams);
        return await GivenTokenClientAsync(user, Scopes.All.Where(scope => Scopes.RoleNeeded(scope) <= role));
    }

    private static Task InsertUserAsync(DbConnection connection, Guid id, string email, Role role, string? password, DateTimeOffset? now = null) =>
        connection.ExecuteAsync(People.InsertSql, new
        {
            Id = id,
            Email = email,
            EmailNormalized = People.NormalizeEmail(email),
            DisplayName = email.Split('@')[0],
            Role = role.ToString(),
            PasswordHash = password is null ? null : People.HashPassword(password),
            ExternalSubject = (string?)null,
            Now = now ?? ApiFixture.Clock.GetUtcNow(),
        });

    private static Task InsertTokenAsync(DbConnection connection, Guid userId, string token, IEnumerable<string> scopes, IEnumerable<string>? kpiKeys = null,
        DateTimeOffset? now = null, Guid? id = null)
    {
        var (publicId, secret) = ApiTokens.Parse(token) ?? throw new ArgumentException("Not an API token.", nameof(token));
        return connection.ExecuteAsync(InsertTokenSql, new
        {
            Id = id ?? Guid.CreateVersion7(),
            PublicId = publicId,
            SecretHash = SessionAuthenticationHandler.Hash(secret),
            Name = "test token",
            UserId = userId,
            Scopes = ApiTokens.JoinScopes(scopes),
            KpiKeys = ApiTokens.JoinKpiKeys(kpiKeys),
            Now = now ?? ApiFixture.Clock.GetUtcNow(),
            ExpiresAt = (now ?? ApiFixture.Clock.GetUtcNow()).AddDays(365),
        });
    }
}
