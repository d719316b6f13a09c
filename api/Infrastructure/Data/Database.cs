using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>Registers the one DbDataSource of the configured provider, and Dapper's type handlers for SQLite.</summary>
public static class Database
{
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection("Database"))
            .Configure(options =>
            {
                if (configuration.GetConnectionString("OkrKpi") is { Length: > 0 } connectionString)
                    options.ConnectionString = connectionString;
            });

        services.AddSingleton<DbDataSource>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return options.Provider switch
            {
                DatabaseProvider.Sqlite => new SqliteDataSource(SqliteDataSource.Normalise(options.ConnectionString, options.BusyTimeoutSeconds)),
                DatabaseProvider.SqlServer => SqlClientFactory.Instance.CreateDataSource(options.ConnectionString),
                _ => throw new InvalidOperationException($"Unknown database provider {options.Provider}."),
            };
        });

        services.AddHostedService<WalCheckpoints>();
        RegisterTypeHandlers();
        return services;
    }

    /// <summary>How SQLite stores an instant: fixed-width UTC text, which sorts in time order.</summary>
    /// <remarks>The round-trip format "O" of a UTC DateTime is exactly yyyy-MM-ddTHH:mm:ss.fffffffZ, and has a fast path both ways.</remarks>
    public static string SqliteText(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>How SQLite stores a decimal: exact text (REAL would round); decimal's own format never writes an exponent.</summary>
    public static string SqliteText(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>How SQLite stores an id.</summary>
    public static string SqliteText(Guid value) => value.ToString("D");

    private static int _registered;

    // Microsoft.Data.Sqlite stores Guid, DateOnly, DateTimeOffset and decimal as TEXT and reads them back
    // as strings; Dapper will not special-case providers (Dapper #718), so these handlers do it once.
    public static void RegisterTypeHandlers()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.RemoveTypeMap(typeof(decimal));
        SqlMapper.RemoveTypeMap(typeof(decimal?));
        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new DecimalHandler());
    }

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter) { parameter.DbType = DbType.String; parameter.Value = SqliteText(value); }
            else { parameter.DbType = DbType.Guid; parameter.Value = value; }
        }

        public override Guid Parse(object value) => value switch
        {
            Guid guid => guid,
            string text => Guid.Parse(text),
            byte[] bytes => new Guid(bytes),
            _ => throw new DataException($"Cannot read a Guid from {value.GetType().Name}."),
        };
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is SqliteParameter) { parameter.DbType = DbType.String; parameter.Value = SqliteText(value); }
            else { parameter.DbType = DbType.DateTimeOffset; parameter.Value = value; }
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset offset => offset,
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            string text => ParseSqliteText(text),
            _ => throw new DataException($"Cannot read a DateTimeOffset from {value.GetType().Name}."),
        };
    }

    /// <summary>Reads what <see cref="SqliteText(DateTimeOffset)"/> writes (and, for older rows, any instant text).</summary>
    public static DateTimeOffset ParseSqliteText(string text) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var stored)
            ? stored
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (parameter is SqliteParameter) { parameter.DbType = DbType.String; parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture); }
            else { parameter.DbType = DbType.Date; parameter.Value = value.ToDateTime(TimeOnly.MinValue); }
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly date => date,
            DateTime time => DateOnly.FromDateTime(time),
            string text => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new DataException($"Cannot read a DateOnly from {value.GetType().Name}."),
        };
    }

    private sealed class DecimalHandler : SqlMapper.TypeHandler<decimal>
    {
        public override void SetValue(IDbDataParameter parameter, decimal value)
        {
            if (parameter is SqliteParameter) { parameter.DbType = DbType.String; parameter.Value = SqliteText(value); }
            else { parameter.DbType = DbType.Decimal; parameter.Value = value; }
        }

        public override decimal Parse(object value) => value switch
        {
            decimal number => number,
            string text => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            long integer => integer,
            double real => (decimal)real,
            _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        };
    }
}
