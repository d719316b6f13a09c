using FluentValidation;
using FluentValidation.Results;
using Mediator;

namespace OkrKpi.Api.Infrastructure.Mediator;

/// <summary>Runs every FluentValidation validator of a message before its handler; the one place validation happens.</summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var failures = new List<ValidationFailure>();
        foreach (var validator in validators)
            failures.AddRange((await validator.ValidateAsync(message, ct)).Errors);

        if (failures.Count > 0) throw new ValidationException(failures);
        return await next(message, ct);
    }
}
