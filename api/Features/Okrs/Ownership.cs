using FluentValidation;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>What a team or a person owns: objectives and key results.</summary>
public interface IOwned
{
    Guid? OwnerTeamId { get; }
    Guid? OwnerUserId { get; }
}

/// <summary>At most one owner: a team or a person.</summary>
internal sealed class OwnerValidator : AbstractValidator<IOwned>
{
    public OwnerValidator() =>
        RuleFor(x => x.OwnerUserId).Null().When(x => x.OwnerTeamId is not null)
            .WithMessage("Give ownerTeamId or ownerUserId, not both: an OKR is owned by a team or by a person.");
}

/// <summary>Exactly one owner: a team or a person.</summary>
internal sealed class RequiredOwnerValidator : AbstractValidator<IOwned>
{
    public RequiredOwnerValidator()
    {
        Include(new OwnerValidator());
        RuleFor(x => x.OwnerTeamId).NotNull().When(x => x.OwnerUserId is null)
            .WithMessage("ownerTeamId or ownerUserId is required: an objective is owned by a team or by a person.");
    }
}
