using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>Picks the text of a statement that the two databases spell differently; both texts stay in the slice.</summary>
public sealed class Dialect(IOptions<DatabaseOptions> options)
{
    public DatabaseProvider Provider { get; } = options.Value.Provider;

    public string Choose(string sqlite, string sqlServer) => Provider == DatabaseProvider.SqlServer ? sqlServer : sqlite;
}
