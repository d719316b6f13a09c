using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>One webhook the caller manages, with its ETag; never its secret.</summary>
public static class GetWebhook
{
    public sealed record Query(Guid WebhookId) : IQuery<WebhookResponse>;

    public static async Task<Ok<WebhookResponse>> Endpoint(Guid webhookId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var webhook = await sender.Send(new Query(webhookId), ct);
        ETags.Set(response, webhook.Version);
        return TypedResults.Ok(webhook);
    }

    public sealed class Handler(DbDataSource db, Caller caller) : IQueryHandler<Query, WebhookResponse>
    {
        public async ValueTask<WebhookResponse> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await WebhookResponse.GetAsync(connection, query.WebhookId, caller, ct);
        }
    }
}
