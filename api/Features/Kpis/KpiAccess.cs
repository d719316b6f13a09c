using System.Data.Common;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>
/// Who may write a KPI's definition (kpis:write) or its values (measurements:write): an admin, or an editor of the
/// team that owns it (a KPI without an owning team is the admins'), and for an API token restricted to named KPIs
/// only those. One instance per request remembers each decision, so a batch or an import of many rows of the same
/// KPIs asks the database about the caller's teams once, not once per row.
/// </summary>
internal sealed class KpiAccess(Caller caller, string scope)
{
    private readonly Dictionary<(string Key, Guid? Owner), string?> _decided = [];

    /// <summary>An admin with an unrestricted credential may write every KPI; the hot paths skip the per-KPI checks then.</summary>
    public bool Unrestricted { get; } = caller.IsAdmin && caller.KpiKeys is null;

    /// <summary>Why the caller may not write the KPI with this key and owning team, or null when it may.</summary>
    public async ValueTask<string?> RefusalAsync(string key, Guid? ownerTeamId, DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (Unrestricted) return null;
        var normalized = KpiDefinition.NormalizeKey(key);
        if (_decided.TryGetValue((normalized, ownerTeamId), out var known)) return known;
        var refusal = !caller.MayUseKpi(normalized)
            ? $"This API token is restricted to the KPIs {string.Join(", ", caller.KpiKeys!.Order(StringComparer.Ordinal))}; KPI '{key.Trim()}' is not one of them."
            : await caller.WriteRefusalAsync(scope, ownerTeamId, $"KPI '{key.Trim()}'", connection, transaction, ct);
        return _decided[(normalized, ownerTeamId)] = refusal;
    }

    /// <summary>403 unless the caller may write the KPI with this key and owning team.</summary>
    public async Task EnsureAsync(string key, Guid? ownerTeamId, DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (await RefusalAsync(key, ownerTeamId, connection, transaction, ct) is { } refusal)
            throw new ForbiddenException(refusal);
    }
}
