using FluentValidation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>
/// Validators are found by FluentValidation's assembly scan at start-up, so a new slice registers none by hand. A
/// validator the scan missed (an internal one, were internal types left out) would let its message through
/// unvalidated, and one registered twice would report each failure twice.
/// </summary>
public sealed class ValidatorRegistrationTests
{
    [Test]
    public void Every_message_validator_in_the_api_is_registered_for_its_message()
    {
        var messageValidators = AssemblyScanner.FindValidatorsInAssembly(typeof(Program).Assembly, includeInternalTypes: true)
            .Where(found => typeof(IMessage).IsAssignableFrom(found.InterfaceType.GetGenericArguments()[0]))
            .ToList();

        Assert.That(messageValidators, Is.Not.Empty);
        using var scope = ApiFixture.Factory.Services.CreateScope();
        var missing = messageValidators
            .Where(found => !scope.ServiceProvider.GetServices(found.InterfaceType).Any(validator => validator!.GetType() == found.ValidatorType))
            .Select(found => found.ValidatorType.FullName);
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void No_message_has_its_validator_registered_twice()
    {
        // Twice registered, a validator would run twice and report each failure twice.
        var registered = ApiFixture.Factory.Services.GetRequiredService<IServiceProviderIsService>();
        var messages = AssemblyScanner.FindValidatorsInAssembly(typeof(Program).Assembly, includeInternalTypes: true)
            .Select(found => found.InterfaceType)
            .Where(validator => typeof(IMessage).IsAssignableFrom(validator.GetGenericArguments()[0]) && registered.IsService(validator));
        using var scope = ApiFixture.Factory.Services.CreateScope();
        Assert.That(messages.Where(validator => scope.ServiceProvider.GetServices(validator).Count() != 1).Select(validator => validator.FullName), Is.Empty);
    }
}
