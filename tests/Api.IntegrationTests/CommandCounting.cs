using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>
/// Wraps the app's real DbDataSource and counts every DbCommand its connections create, so a test can prove that
/// a read costs a fixed number of queries whatever the number of rows. Everything else is delegated: transactions
/// are the real ones, and parameters are the provider's own (Dapper's type handlers still see SqliteParameter).
/// The per-connection PRAGMA the SQLite data source runs while opening goes to the real connection and is not counted.
/// Authenticating the caller (the token or session lookup, and a session's last-seen touch once a minute) costs every
/// request the same and is no part of the endpoint's work, so it is counted apart: <see cref="Commands"/> is what the
/// endpoint sent. Work in the background is left out of both, since it may land in any request's window: the WAL
/// checkpoint, and the record of a token's last use (TokenUsage), which is written after the request that used it.
/// </summary>
public sealed class CountingDataSource(DbDataSource inner) : DbDataSource
{
    private ConcurrentQueue<CountingCommand> _created = new();

    /// <summary>Commands the endpoint created since the last <see cref="Reset"/>, authentication's left out.</summary>
    public int Commands => _created.Count(command => !IsAuthentication(command.Text) && !IsBackground(command.Text));

    /// <summary>Commands that authenticated the caller since the last <see cref="Reset"/>.</summary>
    public int AuthenticationCommands => _created.Count(command => IsAuthentication(command.Text) && !IsBackground(command.Text));

    public void Reset() => Interlocked.Exchange(ref _created, new ConcurrentQueue<CountingCommand>());

    // Read once the command has run: its text is set just after it is created.
    internal void Count(CountingCommand command) => _created.Enqueue(command);

    private static bool IsBackground(string? sql) =>
        sql?.StartsWith("PRAGMA wal_checkpoint", StringComparison.Ordinal) == true || sql == TokenUsage.TouchSql;

    private static bool IsAuthentication(string? sql) =>
        sql is not null && (sql.Contains("FROM ApiToken", StringComparison.Ordinal) || sql.Contains("UPDATE ApiToken", StringComparison.Ordinal)
            || sql.Contains("FROM UserSession", StringComparison.Ordinal) || sql.Contains("UPDATE UserSession", StringComparison.Ordinal));

    [AllowNull]
    public override string ConnectionString => inner.ConnectionString;

    protected override DbConnection CreateDbConnection() => new CountingConnection(inner.CreateConnection(), this);

    protected override DbConnection OpenDbConnection() => new CountingConnection(inner.OpenConnection(), this);

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        new CountingConnection(await inner.OpenConnectionAsync(cancellationToken), this);

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore() => inner.DisposeAsync();
}

/// <summary>A connection that counts the commands it creates and delegates everything else to the real one.</summary>
internal sealed class CountingConnection(DbConnection inner, CountingDataSource counter) : DbConnection
{
    public DbConnection Inner => inner;

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => inner.ConnectionString = value;
    }

    public override int ConnectionTimeout => inner.ConnectionTimeout;
    public override string Database => inner.Database;
    public override string DataSource => inner.DataSource;
    public override string ServerVersion => inner.ServerVersion;
    public override ConnectionState State => inner.State;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);
    public override void Open() => inner.Open();
    public override Task OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);
    public override void Close() => inner.Close();
    public override Task CloseAsync() => inner.CloseAsync();

    // The real transaction: commands get it through CountingCommand.DbTransaction, which passes it straight on.
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

    protected override ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        inner.BeginTransactionAsync(isolationLevel, cancellationToken);

    protected override DbCommand CreateDbCommand()
    {
        var command = new CountingCommand(inner.CreateCommand(), this);
        counter.Count(command);
        return command;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A command of a <see cref="CountingConnection"/>: the real command underneath, reporting the wrapper as its connection.</summary>
internal sealed class CountingCommand(DbCommand inner, CountingConnection connection) : DbCommand
{
    private DbConnection? _connection = connection;

    /// <summary>The text last set, readable after the command is disposed.</summary>
    internal string Text { get; private set; } = "";

    [AllowNull]
    public override string CommandText
    {
        get => inner.CommandText;
        set => inner.CommandText = Text = value ?? "";
    }

    public override int CommandTimeout
    {
        get => inner.CommandTimeout;
        set => inner.CommandTimeout = value;
    }

    public override CommandType CommandType
    {
        get => inner.CommandType;
        set => inner.CommandType = value;
    }

    public override bool DesignTimeVisible
    {
        get => inner.DesignTimeVisible;
        set => inner.DesignTimeVisible = value;
    }

    public override UpdateRowSource UpdatedRowSource
    {
        get => inner.UpdatedRowSource;
        set => inner.UpdatedRowSource = value;
    }

    protected override DbConnection? DbConnection
    {
        get => _connection;
        set
        {
            _connection = value;
            inner.Connection = value is CountingConnection counting ? counting.Inner : value;
        }
    }

    protected override DbParameterCollection DbParameterCollection => inner.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => inner.Transaction;
        set => inner.Transaction = value;
    }

    public override void Cancel() => inner.Cancel();
    public override void Prepare() => inner.Prepare();
    public override Task PrepareAsync(CancellationToken cancellationToken = default) => inner.PrepareAsync(cancellationToken);

    protected override DbParameter CreateDbParameter() => inner.CreateParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => inner.ExecuteReader(behavior);

    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        inner.ExecuteReaderAsync(behavior, cancellationToken);

    public override int ExecuteNonQuery() => inner.ExecuteNonQuery();
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => inner.ExecuteNonQueryAsync(cancellationToken);
    public override object? ExecuteScalar() => inner.ExecuteScalar();
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => inner.ExecuteScalarAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
