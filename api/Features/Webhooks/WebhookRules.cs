using System.Data.Common;
using System.Net;
using FluentValidation;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>
/// Who manages a subscription, and what one may say. An admin manages every subscription; an editor those whose team
/// filter names only teams they belong to (so an editor's subscription must filter on their teams: it then hears only
/// about their teams' KPIs and objectives).
/// </summary>
public static class WebhookRules
{
    public const int NameMaxLength = 200;
    public const int UrlMaxLength = 2000;
    public const int MaxTeams = 50;
    public const int MaxKpiKeys = 100;

    public static readonly IReadOnlyList<string> Statuses = ["onTarget", "atRisk", "offTarget", "noData", "late", "onTrack", "offTrack", "stale"];

    internal static async Task<bool> MayManageAsync(Caller caller, IReadOnlyCollection<Guid>? teamIds, DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (caller.IsAdmin) return true;
        if (!caller.Has(Scopes.KpisWrite) || teamIds is not { Count: > 0 }) return false;
        var mine = await caller.TeamIdsAsync(connection, transaction, ct);
        return teamIds.All(mine.Contains);
    }

    /// <summary>An absolute http(s) address without credentials; an address literal the guard would refuse is refused now.</summary>
    internal static IRuleBuilderOptions<T, string?> MustBeAReceiverUrl<T>(this IRuleBuilder<T, string?> rule, OutboundAddressGuard guard) =>
        rule.NotEmpty().WithMessage("url is required.")
            .MaximumLength(UrlMaxLength).WithMessage($"url must be at most {UrlMaxLength} characters.")
            .Must(url => url is null || Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && string.IsNullOrEmpty(uri.UserInfo))
            .WithMessage("url must be an absolute http or https address without a user name or password.")
            .Must(url => url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IPAddress.TryParse(uri.IdnHost, out var ip) || guard.Permits(ip))
            .WithMessage("url names an address that is not public (loopback, private, link-local or metadata); allow its network in Webhooks:AllowedNetworks to use it.");
}
