namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// Counts the commands this process has finished, so that an in-process cache of a read can tell that an entry may
/// predate a write. Only this instance's writes are seen: another instance's show once the cache's own short time to
/// live has passed, and whatever changes the database behind the app's back must call <see cref="Changed"/>.
/// </summary>
public sealed class LocalWrites
{
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Changed() => Interlocked.Increment(ref _version);
}
