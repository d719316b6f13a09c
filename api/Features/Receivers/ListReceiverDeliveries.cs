using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>A receiver's last 100 deliveries, newest first: what a provider sent and what became of it.</summary>
public static class ListReceiverDeliveries
{
    public sealed record Query(Guid ReceiverId) : IQuery<IReadOnlyList<ReceiverDeliveryResponse>>;

    public static async Task<Ok<IReadOnlyList<ReceiverDeliveryResponse>>> Endpoint(Guid receiverId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(receiverId), ct));

    public sealed class Handler(DbDataSource db, Dialect dialect) : IQueryHandler<Query, IReadOnlyList<ReceiverDeliveryResponse>>
    {
        public async ValueTask<IReadOnlyList<ReceiverDeliveryResponse>> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            if (await ReceiverResponse.LoadAsync(connection, query.ReceiverId, ct) is null)
                throw new NotFoundException($"Receiver '{query.ReceiverId}' was not found.");
            return (await connection.QueryAsync<ReceiverDeliveryResponse.Row>(new CommandDefinition(
                dialect.Choose(ReceiverDeliveries.SqliteListSql, ReceiverDeliveries.SqlServerListSql), new { query.ReceiverId }, cancellationToken: ct)))
                .Select(r => r.ToResponse()).ToList();
        }
    }
}
