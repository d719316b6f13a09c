using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Alerts;

/// <summary>Marks one of the caller's alerts read, or all of them (no alertId); reading twice changes nothing.</summary>
public static class MarkAlertsRead
{
    public sealed record Command(Guid? AlertId) : ICommand;

    /// <summary>Marks one alert read.</summary>
    public static async Task<NoContent> One(Guid alertId, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(alertId), ct);
        return TypedResults.NoContent();
    }

    /// <summary>Marks every alert of the caller read.</summary>
    public static async Task<NoContent> All(ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(null), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller) : ICommandHandler<Command>
    {
        private const string ReadSql = """
            UPDATE Alert SET ReadAt = @Now
            WHERE UserId = @UserId AND ReadAt IS NULL AND (@AlertId IS NULL OR Id = @AlertId)
            """;

        private const string ExistsSql = "SELECT COUNT(*) FROM Alert WHERE Id = @AlertId AND UserId = @UserId";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var userId = caller.UserId ?? throw new UnauthenticatedException("Sign in to read your alerts.");
            await using var connection = await db.OpenConnectionAsync(ct);
            var parameters = new { UserId = userId, command.AlertId, Now = clock.GetUtcNow() };
            if (command.AlertId is not null && await connection.ExecuteScalarAsync<long>(new CommandDefinition(ExistsSql, parameters, cancellationToken: ct)) == 0)
                throw new NotFoundException($"Alert '{command.AlertId}' was not found.");
            await connection.ExecuteAsync(new CommandDefinition(ReadSql, parameters, cancellationToken: ct));
            return Unit.Value;
        }
    }
}
