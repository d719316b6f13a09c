using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Lists objectives with their key results, progress and health, filtered by cycle, owner team or person, status,
/// parent, text and KPI (linked to the objective or feeding one of its key results), a page at a time; "my OKRs" lists those the caller or its teams own, or hold a key result of.
/// </summary>
public static class ListObjectives
{
    public sealed record Query(Guid? CycleId, Guid? OwnerTeamId, Guid? OwnerUserId, string? Status, Guid? ParentObjectiveId, string? Q,
        int? Limit, string? Cursor, string? KpiKey = null) : IQuery<Page<ObjectiveResponse>>
    {
        /// <summary>Only what the caller or its teams own (objectives, or key results within them).</summary>
        public bool Mine { get; init; }
    }

    public static async Task<Ok<Page<ObjectiveResponse>>> Endpoint(ISender sender, CancellationToken ct,
        Guid? cycleId = null, Guid? ownerTeamId = null, Guid? ownerUserId = null, string? status = null, Guid? parentObjectiveId = null,
        string? q = null, int? limit = null, string? cursor = null, string? kpiKey = null) =>
        TypedResults.Ok(await sender.Send(new Query(cycleId, ownerTeamId, ownerUserId, status, parentObjectiveId, q, limit, cursor, kpiKey), ct));

    /// <summary>The objectives the caller or the caller's teams own, or hold a key result of; without cycleId, those of active cycles.</summary>
    public static async Task<Ok<Page<ObjectiveResponse>>> Mine(ISender sender, CancellationToken ct,
        Guid? cycleId = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(cycleId, null, null, null, null, null, limit, cursor) { Mine = true }, ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Status).OneOf(StrictJson.EnumValues<ObjectiveStatus>().Keys, StringComparer.OrdinalIgnoreCase)
                .WithMessage($"status must be one of: {string.Join(", ", StrictJson.EnumValues<ObjectiveStatus>().Keys)}.");
            RuleFor(q => q.Q).MaximumLength(OkrLimits.SearchMaxLength);
            RuleFor(q => q.KpiKey).MaximumLength(Kpis.KpiDefinition.KeyMaxLength);
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor(key => Guid.TryParse(key, out _));
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect, Caller caller, OkrReader reader) : IQueryHandler<Query, Page<ObjectiveResponse>>
    {
        // One statement for every combination of filters: a NULL parameter switches its filter off. Keyset on Id.
        private const string Filter = """
            FROM Objective AS o
            INNER JOIN Cycle AS c ON c.Id = o.CycleId
            WHERE (@After IS NULL OR o.Id > @After)
              AND (@CycleId IS NULL OR o.CycleId = @CycleId)
              AND (@ActiveCyclesOnly = 0 OR c.Status = 'Active')
              AND (@OwnerTeamId IS NULL OR o.OwnerTeamId = @OwnerTeamId)
              AND (@OwnerUserId IS NULL OR o.OwnerUserId = @OwnerUserId)
              AND (@Status IS NULL OR o.Status = @Status)
              AND (@ParentObjectiveId IS NULL OR o.ParentObjectiveId = @ParentObjectiveId)
              AND (@Pattern IS NULL OR LOWER(o.Title) LIKE @Pattern ESCAPE '\' OR LOWER(o.Description) LIKE @Pattern ESCAPE '\')
              AND (@KpiKey IS NULL OR EXISTS (
                   SELECT 1 FROM Kpi AS k
                   WHERE k.KeyNormalized = @KpiKey
                     AND (EXISTS (SELECT 1 FROM ObjectiveKpi AS ok WHERE ok.ObjectiveId = o.Id AND ok.KpiId = k.Id)
                          OR EXISTS (SELECT 1 FROM KeyResult AS fed WHERE fed.ObjectiveId = o.Id AND fed.KpiId = k.Id))))
              AND (@Mine = 0
                   OR o.OwnerUserId = @UserId OR o.OwnerTeamId IN @TeamIds
                   OR EXISTS (SELECT 1 FROM KeyResult AS kr WHERE kr.ObjectiveId = o.Id AND (kr.OwnerUserId = @UserId OR kr.OwnerTeamId IN @TeamIds)))
            ORDER BY o.Id
            """;

        private const string SqliteSql = $"SELECT o.Id {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) o.Id {Filter}";

        public async ValueTask<Page<ObjectiveResponse>> Handle(Query query, CancellationToken ct)
        {
            var limit = query.Limit ?? Paging.DefaultLimit;
            await using var connection = await db.OpenConnectionAsync(ct);
            var teams = query.Mine ? await caller.TeamIdsAsync(connection, null, ct) : new HashSet<Guid>();
            var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                After = Paging.Decode(query.Cursor) is { } after ? Guid.Parse(after) : (Guid?)null,
                query.CycleId,
                ActiveCyclesOnly = query.Mine && query.CycleId is null,
                query.OwnerTeamId,
                query.OwnerUserId,
                Status = query.Status is null ? null : StrictJson.EnumValues<ObjectiveStatus>()[query.Status].ToString(),
                query.ParentObjectiveId,
                Pattern = ContainsPattern(query.Q),
                KpiKey = string.IsNullOrWhiteSpace(query.KpiKey) ? null : Kpis.KpiDefinition.NormalizeKey(query.KpiKey),
                query.Mine,
                caller.UserId,
                // Text ids: Dapper expands IN lists without type handlers.
                TeamIds = teams.Select(t => t.ToString("D")).ToList(),
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();

            var page = Paging.Of(ids, limit, id => id.ToString("D"));
            return new Page<ObjectiveResponse>(await reader.ObjectivesAsync(connection, page.Items, ct), page.NextCursor);
        }

        private static string? ContainsPattern(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var escaped = text.Trim().ToLowerInvariant().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
            return $"%{escaped}%";
        }
    }
}
