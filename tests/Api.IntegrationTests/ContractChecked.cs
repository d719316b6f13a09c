using NUnit.Framework.Interfaces;
using OkrKpi.Api.Testing;

[assembly: OkrKpi.Api.IntegrationTests.ContractChecked]

namespace OkrKpi.Api.IntegrationTests;

/// <summary>
/// The contract test: every answer a test receives through the API clients (ContractCheckingHandler) is checked against
/// openapi.yaml, and a test that received one that does not match fails, with each mismatch named.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ContractCheckedAttribute : Attribute, ITestAction
{
    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test) => ContractCheckingHandler.TakeViolations();

    public void AfterTest(ITest test)
    {
        var violations = ContractCheckingHandler.TakeViolations();
        if (violations.Count > 0)
            Assert.Fail($"{violations.Count} answer(s) do not match openapi.yaml:\n" + string.Join("\n", violations.Take(20)));
    }
}
