using Mediator;
using OkrKpi.Api.Infrastructure.Resilience;
using Polly.Registry;

namespace OkrKpi.Api.Infrastructure.Mediator;

/// <summary>
/// Retries queries on transient database faults. Only queries: they are idempotent by construction,
/// while a retried command could apply its effect twice.
/// </summary>
public sealed class TransientRetryBehavior<TMessage, TResponse>(ResiliencePipelineProvider<string> pipelines)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is not IBaseQuery) return next(message, ct);

        var pipeline = pipelines.GetPipeline(TransientFaults.PipelineName);
        return pipeline.ExecuteAsync(static (state, token) => state.next(state.message, token), (next, message), ct);
    }
}
