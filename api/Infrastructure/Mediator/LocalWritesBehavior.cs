using Mediator;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Infrastructure.Mediator;

/// <summary>
/// Tells <see cref="LocalWrites"/> when a command has finished, committed or not (a partial import commits and may
/// still fail), and before its response leaves: a client that reads after its own write never gets a cached read
/// from before it.
/// </summary>
public sealed class LocalWritesBehavior<TMessage, TResponse>(LocalWrites writes)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct) =>
        message is IBaseCommand ? Counted(message, next, ct) : next(message, ct);

    private async ValueTask<TResponse> Counted(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        try
        {
            return await next(message, ct);
        }
        finally
        {
            writes.Changed();
        }
    }
}
