using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace OkrKpi.Api.Infrastructure.Resilience;

/// <summary>Which database faults are worth another try, and the one retry pipeline that acts on them.</summary>
public static class TransientFaults
{
    public const string PipelineName = "sql-transient";

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    // Deadlock, lock timeout, command timeout, broken connections and the Azure SQL
    // failover / throttling family that Microsoft documents as transient.
    private static readonly HashSet<int> SqlServerTransientNumbers =
    [
        -2, 20, 64, 233, 1205, 1222, 4060, 4221, 10053, 10054, 10060, 10928, 10929,
        40143, 40197, 40501, 40540, 40613, 49918, 49919, 49920,
    ];

    public static bool IsTransient(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => SqlServerTransientNumbers.Contains(e.Number)),
        DbException { IsTransient: true } => true,
        OkrKpi.Api.Infrastructure.Data.DatabaseBusyException => true,
        _ => false,
    };

    public static IServiceCollection AddTransientFaultRetries(this IServiceCollection services) =>
        services.AddResiliencePipeline(PipelineName, pipeline => pipeline.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(100),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        }));
}
