using OkrKpi.Api.Features.Users;

namespace OkrKpi.Api.Features.Session;

/// <summary>
/// Who is signed in and how: by a session cookie, an OIDC bearer token or an API token (then with its scopes and
/// KPI restriction), so a client can show what it may do.
/// </summary>
public sealed record SessionResponse(UserResponse User, string AuthenticatedBy, IReadOnlyList<string>? Scopes, IReadOnlyList<string>? KpiKeys,
    DateTimeOffset? ExpiresAt);
