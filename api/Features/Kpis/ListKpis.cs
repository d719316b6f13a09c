using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>Lists KPIs by key, filtered by status, owner team, tag, frequency and free text, a page at a time.</summary>
public static class ListKpis
{
    public const int SearchMaxLength = 100;

    public sealed record Query(string? Status, Guid? OwnerTeamId, string? Tag, string? Frequency, string? Q, int? Limit, string? Cursor)
        : IQuery<Page<KpiResponse>>;

    public static async Task<Ok<Page<KpiResponse>>> Endpoint(ISender sender, CancellationToken ct,
        string? status = null, Guid? ownerTeamId = null, string? tag = null, string? frequency = null, string? q = null,
        int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(status, ownerTeamId, tag, frequency, q, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            // Enum filters arrive as text so that "1" is refused instead of being read as the second member.
            RuleFor(q => q.Status).OneOf(StrictJson.EnumValues<KpiStatus>().Keys, StringComparer.OrdinalIgnoreCase).WithMessage($"status must be one of: {Names<KpiStatus>()}.");
            RuleFor(q => q.Frequency).OneOf(StrictJson.EnumValues<KpiFrequency>().Keys, StringComparer.OrdinalIgnoreCase).WithMessage($"frequency must be one of: {Names<KpiFrequency>()}.");
            RuleFor(q => q.Tag).MaximumLength(KpiDefinition.TagMaxLength);
            RuleFor(q => q.Q).MaximumLength(SearchMaxLength);
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor();
        }

        private static string Names<TEnum>() where TEnum : struct, Enum => string.Join(", ", StrictJson.EnumValues<TEnum>().Keys);
    }

    public sealed class Handler(DbDataSource db, Dialect dialect) : IQueryHandler<Query, Page<KpiResponse>>
    {
        // One statement for every combination of filters: a NULL parameter switches its filter off.
        private const string Filter = """
            FROM Kpi AS k
            WHERE (@After IS NULL OR k.KeyNormalized > @After)
              AND (@Status IS NULL OR k.Status = @Status)
              AND (@OwnerTeamId IS NULL OR k.OwnerTeamId = @OwnerTeamId)
              AND (@Frequency IS NULL OR k.Frequency = @Frequency)
              AND (@Tag IS NULL OR EXISTS (SELECT 1 FROM KpiTag AS t WHERE t.KpiId = k.Id AND t.Tag = @Tag))
              AND (@Pattern IS NULL
                   OR k.KeyNormalized LIKE @Pattern ESCAPE '\'
                   OR LOWER(k.Name) LIKE @Pattern ESCAPE '\'
                   OR LOWER(k.Description) LIKE @Pattern ESCAPE '\')
            ORDER BY k.KeyNormalized
            """;

        private const string SqliteSql = $"SELECT {KpiRow.Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {KpiRow.Columns} {Filter}";

        public async ValueTask<Page<KpiResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            await using var connection = await db.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<KpiRow>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                After = Paging.Decode(query.Cursor),
                Status = EnumName<KpiStatus>(query.Status),
                query.OwnerTeamId,
                Frequency = EnumName<KpiFrequency>(query.Frequency),
                Tag = query.Tag?.Trim().ToLowerInvariant(),
                Pattern = ContainsPattern(query.Q),
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();

            var page = Paging.Of(rows, limit, r => r.KeyNormalized);
            var tags = await KpiRow.TagsAsync(connection, page.Items.Select(r => r.Id).ToList(), ct);
            return new Page<KpiResponse>(page.Items.Select(r => r.ToResponse(tags[r.Id].ToList())).ToList(), page.NextCursor);
        }

        private static string? EnumName<TEnum>(string? value) where TEnum : struct, Enum =>
            value is null ? null : StrictJson.EnumValues<TEnum>()[value].ToString();

        private static string? ContainsPattern(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var escaped = text.Trim().ToLowerInvariant().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
            return $"%{escaped}%";
        }
    }
}
