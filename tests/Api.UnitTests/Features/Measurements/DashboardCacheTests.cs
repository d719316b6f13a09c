using Microsoft.Extensions.Configuration;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.UnitTests.Features.Measurements;

/// <summary>
/// The dashboard cache with reads the test holds open: what a request gets while another request is reading.
/// (Tests over HTTP cover writes, queries and the time to live: GetDashboardCacheTests.)
/// </summary>
public sealed class DashboardCacheTests
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(1);
    private static readonly GetDashboard.Query Query = new(null, null, null, null, false, null, null, null);
    private static readonly Page<GetDashboard.Item> Old = new([], "old"), New = new([], "new");

    private readonly ManualClock _clock = new();
    private readonly LocalWrites _writes = new();
    private GetDashboard.Cache _cache = null!;

    [SetUp]
    public async Task CacheAnOldAnswer()
    {
        var settings = new Dictionary<string, string?> { ["Dashboard:CacheMilliseconds"] = TimeToLive.TotalMilliseconds.ToString("0") };
        _cache = new GetDashboard.Cache(_writes, _clock, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        await _cache.GetAsync(Query, (_, _) => Task.FromResult(Old), CancellationToken.None);
    }

    [Test]
    public async Task Makes_everyone_wait_for_the_new_answer_after_a_local_write()
    {
        _writes.Changed();
        var reading = new TaskCompletionSource<Page<GetDashboard.Item>>();
        var refresh = _cache.GetAsync(Query, (_, _) => reading.Task, CancellationToken.None);

        var meanwhile = _cache.GetAsync(Query, (_, _) => throw new AssertionException("a second read"), CancellationToken.None);

        Assert.That(meanwhile.IsCompleted, Is.False);
        reading.SetResult(New);
        Assert.That(await meanwhile, Is.SameAs(New));
        Assert.That(await refresh, Is.SameAs(New));
    }

    [Test]
    public async Task Shares_one_read_among_the_requests_that_arrive_while_it_runs()
    {
        _clock.Now += TimeToLive;
        var reading = new TaskCompletionSource<Page<GetDashboard.Item>>();
        var refresh = _cache.GetAsync(Query, (_, _) => reading.Task, CancellationToken.None);

        var meanwhile = _cache.GetAsync(Query, (_, _) => throw new AssertionException("a second read"), CancellationToken.None);

        Assert.That(meanwhile.IsCompleted, Is.False);
        reading.SetResult(New);
        Assert.That(await meanwhile, Is.SameAs(New));
        Assert.That(await refresh, Is.SameAs(New));
        Assert.That(await _cache.GetAsync(Query, (_, _) => throw new AssertionException("a read"), CancellationToken.None), Is.SameAs(New));
    }

    [Test]
    public async Task Lets_a_waiting_request_read_again_when_the_shared_read_fails()
    {
        _writes.Changed();
        var reading = new TaskCompletionSource<Page<GetDashboard.Item>>();
        var failing = _cache.GetAsync(Query, (_, _) => reading.Task, CancellationToken.None);
        var waiting = _cache.GetAsync(Query, (_, _) => Task.FromResult(New), CancellationToken.None);

        reading.SetException(new InvalidOperationException("database busy"));

        Assert.That(async () => await failing, Throws.InvalidOperationException);
        Assert.That(await waiting, Is.SameAs(New));
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 7, 15, 9, 30, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
