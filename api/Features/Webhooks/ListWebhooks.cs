using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>The webhooks the caller manages (an admin: all; an editor: those filtering on their teams only), oldest first; never a secret.</summary>
public static class ListWebhooks
{
    /// <summary>Subscriptions an installation may hold, so one page always lists them all.</summary>
    public const int MaxSubscriptions = 500;

    public sealed record Query : IQuery<Response>;

    public sealed record Response(IReadOnlyList<WebhookResponse> Items);

    public static async Task<Ok<Response>> Endpoint(ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new Query(), ct));

    public sealed class Handler(DbDataSource db, Caller caller) : IQueryHandler<Query, Response>
    {
        private const string Sql = $"SELECT {WebhookResponse.Columns} FROM WebhookSubscription ORDER BY Id";

        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var items = new List<WebhookResponse>();
            foreach (var row in await connection.QueryAsync<WebhookResponse.Row>(new CommandDefinition(Sql, cancellationToken: ct)))
                if (await WebhookRules.MayManageAsync(caller, WebhookLists.Split(row.TeamIds)?.Select(Guid.Parse).ToList(), connection, null, ct))
                    items.Add(row.ToResponse());
            return new Response(items);
        }
    }
}
