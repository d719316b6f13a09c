using FluentValidation;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>The fields an initiative's create and update bodies share.</summary>
public interface IInitiativeFields
{
    string? Title { get; }
    InitiativeStatus? Status { get; }
    string? ExternalUrl { get; }
}

internal sealed class InitiativeFieldsValidator : AbstractValidator<IInitiativeFields>
{
    public InitiativeFieldsValidator()
    {
        RuleFor(i => i.Title).RequiredText(OkrLimits.TitleMaxLength);
        RuleFor(i => i.ExternalUrl).OptionalText(OkrLimits.UrlMaxLength)
            .Must(url => url is null || (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            .WithMessage("externalUrl must be an absolute http or https URL.");
    }
}
