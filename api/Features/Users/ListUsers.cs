using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Users;

/// <summary>Lists people by email, filtered by role, team and free text (email or name), a page at a time.</summary>
public static class ListUsers
{
    public const int TextMaxLength = 100;

    public sealed record Query(string? Role, Guid? TeamId, string? Text, int? Limit, string? Cursor) : IQuery<Page<UserResponse>>;

    public static async Task<Ok<Page<UserResponse>>> Endpoint(ISender sender, CancellationToken ct,
        string? role = null, Guid? teamId = null, string? text = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(role, teamId, text, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            // The role arrives as text so that "1" is refused instead of being read as the second member.
            RuleFor(q => q.Role).OneOf(StrictJson.EnumValues<Role>().Keys, StringComparer.OrdinalIgnoreCase)
                .WithMessage($"role must be one of: {string.Join(", ", StrictJson.EnumValues<Role>().Keys)}.");
            RuleFor(q => q.Text).MaximumLength(TextMaxLength);
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor();
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect) : IQueryHandler<Query, Page<UserResponse>>
    {
        // One statement for every combination of filters: a NULL parameter switches its filter off.
        private const string Filter = """
            FROM AppUser AS u
            WHERE u.IsServiceAccount = 0
              AND (@After IS NULL OR u.EmailNormalized > @After)
              AND (@Role IS NULL OR u.Role = @Role)
              AND (@TeamId IS NULL OR EXISTS (SELECT 1 FROM TeamMember AS m WHERE m.UserId = u.Id AND m.TeamId = @TeamId))
              AND (@Pattern IS NULL OR u.EmailNormalized LIKE @Pattern ESCAPE '\' OR UPPER(u.DisplayName) LIKE @Pattern ESCAPE '\')
            ORDER BY u.EmailNormalized
            """;

        private const string Columns = """
            u.Id, u.Email, u.EmailNormalized, u.DisplayName, u.Role, u.Disabled,
            CASE WHEN u.PasswordHash IS NULL THEN 0 ELSE 1 END AS HasPassword, u.Version, u.CreatedAt, u.UpdatedAt
            """;

        private const string SqliteSql = $"SELECT {Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {Columns} {Filter}";
        private const string TeamsSql = "SELECT UserId, TeamId FROM TeamMember WHERE UserId IN @Ids ORDER BY TeamId";

        private sealed class Membership
        {
            public Guid UserId { get; init; }
            public Guid TeamId { get; init; }
        }

        public async ValueTask<Page<UserResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            await using var connection = await db.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<UserResponse.Row>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                After = Paging.Decode(query.Cursor),
                Role = query.Role is null ? null : StrictJson.EnumValues<Role>()[query.Role].ToString(),
                query.TeamId,
                Pattern = ContainsPattern(query.Text),
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();

            var page = Paging.Of(rows, limit, r => r.EmailNormalized);
            // Dapper expands IN lists without type handlers, so ids go as text (see KpiRow.TagsAsync).
            var ids = page.Items.Select(r => r.Id.ToString("D")).ToList();
            var teams = (await connection.QueryAsync<Membership>(new CommandDefinition(TeamsSql, new { Ids = ids }, cancellationToken: ct)))
                .ToLookup(m => m.UserId, m => m.TeamId);
            return new Page<UserResponse>(page.Items.Select(r => r.ToResponse(teams[r.Id])).ToList(), page.NextCursor);
        }

        // Emails are stored upper-cased for comparison, so the pattern is upper-cased to match them and the upper-cased name.
        private static string? ContainsPattern(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var escaped = text.Trim().ToUpperInvariant().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
            return $"%{escaped}%";
        }
    }
}
