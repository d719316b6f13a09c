using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>
/// A receiver as admins read it: its hook URL path, preset, the definition it applies to payloads, and whether it takes
/// deliveries (a disabled one refuses them, and logs the refusal).
/// </summary>
public sealed record ReceiverResponse(Guid Id, string Name, string Preset, string HookPath, ReceiverDefinition Definition, bool Enabled, long Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const int NameMaxLength = 100;

    public const string AuditEntity = "receiver";

    internal const string Columns = "Id, Name, Preset, Definition, Enabled, Version, CreatedAt, UpdatedAt";

    private const string SelectSql = $"SELECT {Columns} FROM Receiver WHERE Id = @Id";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal sealed class Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Preset { get; init; } = "";
        public string Definition { get; init; } = "";
        public bool Enabled { get; init; }
        public long Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public ReceiverResponse ToResponse() => new(Id, Name, Preset, $"/api/v1/hooks/{Id}",
            JsonSerializer.Deserialize<ReceiverDefinition>(Definition, Json)!, Enabled, Version, CreatedAt, UpdatedAt);
    }

    internal static async Task<ReceiverResponse?> LoadAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct)))?.ToResponse();
}
