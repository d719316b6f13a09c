using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>Reads one receiver, with the ETag an edit or a deletion names in If-Match.</summary>
public static class GetReceiver
{
    public sealed record Query(Guid ReceiverId) : IQuery<ReceiverResponse?>;

    public static async Task<Results<Ok<ReceiverResponse>, NotFound>> Endpoint(Guid receiverId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        if (await sender.Send(new Query(receiverId), ct) is not { } receiver) return TypedResults.NotFound();
        ETags.Set(response, receiver.Version);
        return TypedResults.Ok(receiver);
    }

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, ReceiverResponse?>
    {
        public async ValueTask<ReceiverResponse?> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await ReceiverResponse.LoadAsync(connection, query.ReceiverId, ct);
        }
    }
}
