namespace OkrKpi.Api.IntegrationTests.Security;

/// <summary>
/// Every endpoint states who may call it (docs/security.md). The fallback policy (signed in) is a safety net for an
/// endpoint someone forgot, not a statement: these tests fail for such an endpoint, and for any anonymous one
/// beyond sign-in. (The health probes are answered before authentication, so they are no endpoints; HealthTests
/// shows they need no credentials.)
/// </summary>
public sealed class EndpointPolicyTests
{
    private static readonly string[] AnonymousByDesign = ["POST /api/v1/session"];

    [Test]
    public void Every_endpoint_names_a_policy_or_allows_anonymous_callers()
    {
        var endpoints = MappedEndpoints.All();

        Assert.That(endpoints, Is.Not.Empty);
        Assert.That(endpoints.Where(e => e.Stated is null).Select(e => e.Key), Is.Empty,
            "These endpoints rely on the fallback policy: give each .RequireAuthorization(Policies.X) or .AllowAnonymous().");
    }

    [Test]
    public void Only_sign_in_allows_anonymous_callers()
    {
        var anonymous = MappedEndpoints.All().Where(e => e.AllowsAnonymous).Select(e => e.Key);

        Assert.That(anonymous, Is.EquivalentTo(AnonymousByDesign));
    }

    [Test]
    public void No_endpoint_both_allows_anonymous_callers_and_names_a_policy()
    {
        // AllowAnonymous wins over any policy at run time, so a policy beside it would be a statement that is not true.
        Assert.That(MappedEndpoints.All().Where(e => e.AllowsAnonymous && e.Policy is not null).Select(e => e.Key), Is.Empty);
    }
}
