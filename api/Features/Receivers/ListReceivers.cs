using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>Every receiver, oldest first (an organisation has a handful), with the presets a new one can start from.</summary>
public static class ListReceivers
{
    public sealed record Response(IReadOnlyList<ReceiverResponse> Items, IReadOnlyDictionary<string, ReceiverDefinition> Presets);

    public sealed record Query : IQuery<Response>;

    public static async Task<Ok<Response>> Endpoint(ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new Query(), ct));

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, Response>
    {
        private const string Sql = $"SELECT {ReceiverResponse.Columns} FROM Receiver ORDER BY Id";

        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var rows = await connection.QueryAsync<ReceiverResponse.Row>(new CommandDefinition(Sql, cancellationToken: ct));
            return new Response(rows.Select(r => r.ToResponse()).ToList(), ReceiverPresets.All);
        }
    }
}
