using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.UnitTests.Infrastructure;

/// <summary>The database is prepared once the server listens: requests wait for it, and the host's start fails with it.</summary>
public sealed class DatabasePreparationTests
{
    private TaskCompletionSource _prepared = null!;
    private DatabasePreparation _preparation = null!;
    private Task _starting = null!;

    [SetUp]
    public void BeginPreparing()
    {
        _prepared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _preparation = new DatabasePreparation(new ServiceCollection().BuildServiceProvider(), lifetime: null!);
        _starting = _preparation.RunAsync(() => _prepared.Task);
    }

    [Test]
    public async Task A_request_waits_until_the_database_is_prepared()
    {
        var pipeline = Pipeline();
        var http = new DefaultHttpContext();

        var request = pipeline(http);
        await Task.Delay(50);
        Assert.That(request.IsCompleted, Is.False, "answered before the database was prepared");

        _prepared.SetResult();
        await request.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(http.Response.StatusCode, Is.EqualTo(StatusCodes.Status204NoContent));
    }

    [Test]
    public async Task The_host_has_started_only_once_the_database_is_prepared()
    {
        await Task.Delay(50);
        Assert.That(_starting.IsCompleted, Is.False);

        _prepared.SetResult();
        await _starting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Test]
    public void A_failed_preparation_fails_the_start_and_every_request()
    {
        _prepared.SetException(new InvalidOperationException("migration 0009 failed"));

        Assert.That(async () => await _starting, Throws.InvalidOperationException.With.Message.EqualTo("migration 0009 failed"));
        Assert.That(async () => await Pipeline()(new DefaultHttpContext()), Throws.InvalidOperationException);
    }

    private RequestDelegate Pipeline()
    {
        var app = new ApplicationBuilder(new ServiceCollection().AddSingleton(_preparation).BuildServiceProvider());
        DatabasePreparation.WaitForIt(app);
        app.Run(http =>
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        return app.Build();
    }
}
