using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Tokens;

/// <summary>
/// Lists the caller's API tokens, oldest first (admins: someone else's or a service account's with userId, or everyone's with
/// all=true); never a secret.
/// </summary>
public static class ListTokens
{
    public sealed record Query(Guid? UserId, bool All, int? Limit, string? Cursor) : IQuery<Page<TokenResponse>>;

    public static async Task<Ok<Page<TokenResponse>>> Endpoint(ISender sender, CancellationToken ct,
        Guid? userId = null, bool? all = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new Query(userId, all ?? false, limit, cursor), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.UserId).Null().When(q => q.All).WithMessage("Give either userId or all=true, not both.");
            RuleFor(q => q.Limit).MustBeAPageLimit();
            RuleFor(q => q.Cursor).MustBeACursor(key => Guid.TryParse(key, out _));
        }
    }

    public sealed class Handler(DbDataSource db, Dialect dialect, Caller caller, TimeProvider clock) : IQueryHandler<Query, Page<TokenResponse>>
    {
        // Ids are version 7 GUIDs: in id order is in order of creation.
        private const string Filter = """
            FROM ApiToken
            WHERE (@After IS NULL OR Id > @After)
              AND (@UserId IS NULL OR UserId = @UserId)
            ORDER BY Id
            """;

        private const string SqliteSql = $"SELECT {TokenResponse.Columns} {Filter} LIMIT @Take";
        private const string SqlServerSql = $"SELECT TOP (@Take) {TokenResponse.Columns} {Filter}";

        public async ValueTask<Page<TokenResponse>> Handle(Query query, CancellationToken ct)
        {
            if ((query.All || (query.UserId is { } other && other != caller.UserId)) && !caller.IsAdmin)
                throw new ForbiddenException("Only an admin can list other people's tokens.");

            var limit = query.Limit ?? Paging.DefaultLimit;
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<TokenResponse.Row>(new CommandDefinition(dialect.Choose(SqliteSql, SqlServerSql), new
            {
                After = Paging.Decode(query.Cursor) is { } after ? Guid.Parse(after) : (Guid?)null,
                UserId = query.All ? null : query.UserId ?? caller.UserId,
                Take = limit + 1,
            }, cancellationToken: ct))).ToList();

            var page = Paging.Of(rows, limit, r => r.Id.ToString());
            return new Page<TokenResponse>(page.Items.Select(r => r.ToResponse(now)).ToList(), page.NextCursor);
        }
    }
}
