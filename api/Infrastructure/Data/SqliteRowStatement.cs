using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// One prepared SQLite statement run row after row, with every parameter bound by position as text (the way SQLite
/// stores Guid, instants and decimals). On a SqliteConnection it runs through SQLitePCLRaw, the binding
/// Microsoft.Data.Sqlite itself is built on: a SqliteCommand looks every parameter up by name and builds a data reader
/// on each execution, which costs about a fifth of a one-row insert. On any other connection (one wrapped for
/// diagnostics) it is an ordinary prepared command. Either way it runs inside the connection's open transaction.
/// Take one from <see cref="SqliteWriteQueue.Statement"/>, which prepares it once for the whole transaction of a write.
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    private readonly sqlite3? _db;
    private readonly sqlite3_stmt? _statement;
    private readonly int[] _positions = [];
    private readonly DbCommand? _command;

    /// <param name="parameters">The statement's parameter names, in the order <see cref="Bind"/> takes them.</param>
    public SqliteRowStatement(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = sql;
            foreach (var name in parameters)
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = DBNull.Value;
                _command.Parameters.Add(parameter);
            }
            return;
        }
        _db = handle;
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
        _positions = parameters.Select(name => raw.sqlite3_bind_parameter_index(_statement, name) is > 0 and var position
            ? position
            : throw new ArgumentException($"The statement has no parameter {name}.", nameof(parameters))).ToArray();
    }

    /// <summary>Binds the <paramref name="parameter"/>-th named parameter to a text, or to NULL.</summary>
    public void Bind(int parameter, string? text)
    {
        if (_command is not null)
        {
            _command.Parameters[parameter].Value = (object?)text ?? DBNull.Value;
            return;
        }
        var rc = text is null
            ? raw.sqlite3_bind_null(_statement, _positions[parameter])
            : raw.sqlite3_bind_text16(_statement, _positions[parameter], text);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>Runs the statement with the values bound and answers how many rows it changed.</summary>
    public int Execute()
    {
        if (_command is not null) return _command.ExecuteNonQuery();
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
        return raw.sqlite3_changes(_db);
    }

    /// <summary>
    /// Prepared once for the transaction of a write of <see cref="SqliteWriteQueue"/> and shared by the writes in it:
    /// <see cref="Dispose"/> then leaves it prepared, and the end of that transaction finalises it.
    /// </summary>
    internal bool Shared { get; init; }

    public void Dispose()
    {
        if (!Shared) Finalise();
    }

    internal void Finalise()
    {
        _statement?.Dispose();
        _command?.Dispose();
    }
}
