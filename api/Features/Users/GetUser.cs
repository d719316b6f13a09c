using System.Data.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Users;

/// <summary>Reads one person: who they are, their role and teams (never a password or its hash).</summary>
public static class GetUser
{
    public sealed record Query(Guid UserId) : IQuery<UserResponse?>;

    public static async Task<Results<Ok<UserResponse>, NotFound>> Endpoint(Guid userId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        if (await sender.Send(new Query(userId), ct) is not { } user) return TypedResults.NotFound();
        ETags.Set(response, user.Version);
        return TypedResults.Ok(user);
    }

    public sealed class Handler(DbDataSource db) : IQueryHandler<Query, UserResponse?>
    {
        public async ValueTask<UserResponse?> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return await UserResponse.LoadAsync(connection, query.UserId, ct);
        }
    }
}
