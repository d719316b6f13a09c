using NUnit.Framework.Interfaces;

[assembly: OkrKpi.Api.IntegrationTests.SynchronousWritesRefused]

namespace OkrKpi.Api.IntegrationTests;

/// <summary>
/// The server refuses synchronous I/O (AllowSynchronousIO stays off), so an endpoint that writes synchronously breaks
/// its answer off mid-way. Any test during which the server logged that refusal fails, whichever endpoint it called.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class SynchronousWritesRefusedAttribute : Attribute, ITestAction
{
    public const string Refusal = "Synchronous operations are disallowed";

    private int _linesBefore;

    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test) => _linesBefore = CapturedLogs.Lines.Count;

    public void AfterTest(ITest test)
    {
        var refused = CapturedLogs.Lines.Skip(_linesBefore).Where(line => line.Contains(Refusal)).ToList();
        if (refused.Count > 0)
            Assert.Fail($"An endpoint wrote synchronously during this test:\n{refused[0]}");
    }
}
