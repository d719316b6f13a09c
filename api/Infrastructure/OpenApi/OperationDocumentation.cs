using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// Gives every operation a summary (its name in words) and a description built from what the code already says:
/// the slice's one-line summary (or the endpoint method's, where one slice has several), who may call it (its
/// authorization policy) and its limits (body size, page size, rate limits), each read from the constant or setting
/// that enforces it. Settings are documented with their defaults and names, so the document is the same wherever it is
/// served; a deployment that changes one says so in its own notes.
/// </summary>
public sealed partial class OperationDocumentation : IOperationFilter
{
    private static readonly RequestLimitsOptions RequestLimits = new();
    private static readonly RateLimitOptions RateLimitDefaults = new();

    private static readonly Lazy<IReadOnlyDictionary<string, XElement>> Comments = new(LoadComments);

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var method = context.MethodInfo;
        if (operation.OperationId is { } id) operation.Summary = Words(id);

        var what = method is null ? null : CommentOf(method) ?? CommentOf(method.DeclaringType!);
        var paragraphs = new List<string>();
        if (what is not null) paragraphs.Add(what);
        paragraphs.Add("**Who may call it:** " + Access(metadata));
        if (Limits(operation, context, metadata) is { Count: > 0 } limits)
            paragraphs.Add("**Limits:** " + string.Join("; ", limits) + ".");
        operation.Description = string.Join("\n\n", paragraphs);
    }

    /// <summary>"ListMyOkrs" -> "List my OKRs", "GetOkrKpiMatrix" -> "Get OKR KPI matrix".</summary>
    public static string Words(string operationId)
    {
        var words = CamelWord().Matches(operationId).Select(m => m.Value).ToList();
        return string.Join(' ', words.Select((word, i) => word switch
        {
            "Kpi" => "KPI",
            "Kpis" => "KPIs",
            "Okr" => "OKR",
            "Okrs" => "OKRs",
            _ => i == 0 ? word : word.ToLowerInvariant(),
        }));
    }

    private static string Access(IList<object> metadata)
    {
        if (metadata.OfType<IAllowAnonymous>().Any()) return "anyone; no credentials are needed.";
        var policy = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => !string.IsNullOrEmpty(p));
        return policy switch
        {
            Policies.SignedIn => "anyone signed in: a person (session cookie or OIDC bearer) or any API token.",
            Policies.Person => "a signed-in person (session cookie or OIDC bearer) acting for themself; API tokens are refused (403), so a leaked token cannot mint or keep alive others.",
            Policies.DirectoryRead => "anyone signed in; an API token needs `kpis:read` or `okrs:read`.",
            Policies.Admin => "admins; an API token needs the `admin` scope and an owner who is still an admin.",
            { } scope when Scopes.All.Contains(scope) => Scoped(scope),
            _ => "anyone signed in.",
        };
    }

    private static string Scoped(string scope)
    {
        var role = Scopes.RoleNeeded(scope).ToString().ToLowerInvariant();
        var who = role == "viewer"
            ? "everyone signed in"
            : $"{role}s and admins";
        var ownership = scope is Scopes.KpisWrite or Scopes.OkrsWrite or Scopes.MeasurementsWrite
            ? " An editor may change only what a team of theirs (or they themself) owns; anything else is a 403."
            : "";
        return $"{who}; an API token needs the `{scope}` (or `admin`) scope and acts with its owner's current role.{ownership}";
    }

    private List<string> Limits(OpenApiOperation operation, OperationFilterContext context, IList<object> metadata)
    {
        var limits = new List<string>();
        if (operation.RequestBody is not null)
        {
            var declared = metadata.OfType<IRequestSizeLimitMetadata>().LastOrDefault()?.MaxRequestBodySize;
            var bytes = declared ?? RequestLimits.JsonBodyBytes;
            limits.Add(declared is null
                ? $"a request body of at most {Bytes(bytes)} by default (setting `Limits:JsonBodyBytes`; 413 beyond)"
                : $"a request body of at most {Bytes(bytes)} (413 beyond)");
            // A text body (a CSV or NDJSON file) is as long as the body may be: UTF-8 takes a byte or more per character.
            foreach (var media in operation.RequestBody.Content?.Values.OfType<OpenApiMediaType>() ?? [])
                if (media.Schema is OpenApiSchema { Type: JsonSchemaType.String } text) text.MaxLength = (int)Math.Min(bytes, int.MaxValue);
        }
        if (operation.Parameters?.Any(p => p.Name == "limit" && p.In == ParameterLocation.Query) == true)
            limits.Add($"pages of 1 to {Paging.MaxLimit} items (`limit`, default {Paging.DefaultLimit}), continued with `cursor`");
        if (metadata.OfType<EnableRateLimitingAttribute>().Any(a => a.PolicyName == RateLimits.SignInPolicy))
            limits.Add($"by default {RateLimitDefaults.SignInPerAddressPerMinute} sign-in attempts a minute from one address and {RateLimitDefaults.SignInPerAccountPerMinute} for one account " +
                       "(settings `RateLimits:SignInPerAddressPerMinute`, `RateLimits:SignInPerAccountPerMinute`; 429 with Retry-After beyond)");
        var method = context.ApiDescription.HttpMethod ?? "";
        if (!metadata.OfType<IAllowAnonymous>().Any() && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
            limits.Add($"by default {RateLimitDefaults.WritesPerTokenPerMinute} writes a minute for one API token (setting `RateLimits:WritesPerTokenPerMinute`; 429 with Retry-After beyond)");
        return limits;
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MiB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KiB",
        _ => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes",
    };

    private static string? CommentOf(MemberInfo member)
    {
        var key = member switch
        {
            Type type => "T:" + type.FullName!.Replace('+', '.'),
            MethodInfo method => $"M:{method.DeclaringType!.FullName!.Replace('+', '.')}.{method.Name}",
            _ => null,
        };
        if (key is null) return null;
        var element = Comments.Value.TryGetValue(key, out var exact) ? exact
            : member is MethodInfo ? Comments.Value.FirstOrDefault(c => c.Key.StartsWith(key + "(", StringComparison.Ordinal)).Value
            : null;
        return element?.Element("summary") is { } summary ? Text(summary) : null;
    }

    /// <summary>The summary as Markdown: code in backticks, references by their name, whitespace folded.</summary>
    private static string Text(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText plain => plain.Value,
                XElement { Name.LocalName: "c" } code => $"`{code.Value}`",
                XElement { Name.LocalName: "see" or "paramref" or "typeparamref" } reference => $"`{ReferenceName(reference)}`",
                XElement other => other.Value,
                _ => "",
            });
        }
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    private static string? ReferenceName(XElement reference) =>
        (string?)reference.Attribute("cref") is { } cref ? cref[(cref.LastIndexOf('.') + 1)..] : (string?)reference.Attribute("name");

    private static IReadOnlyDictionary<string, XElement> LoadComments()
    {
        var file = Path.ChangeExtension(typeof(OperationDocumentation).Assembly.Location, ".xml");
        if (!File.Exists(file)) return new Dictionary<string, XElement>();
        return XDocument.Load(file).Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .GroupBy(m => (string)m.Attribute("name")!)
            .ToDictionary(g => g.Key, g => g.First());
    }

    [GeneratedRegex("[A-Z][a-z0-9]*")]
    private static partial Regex CamelWord();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
