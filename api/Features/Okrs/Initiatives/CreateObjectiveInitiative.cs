using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Adds an initiative to an objective as a whole, as many teams plan their work: whoever may write the objective may add it.
/// </summary>
public static class CreateObjectiveInitiative
{
    // Only the body: the write is CreateInitiative's, with the objective as owner. The record keeps its name so the API
    // document keeps calling the body CreateObjectiveInitiativeCommand.
    public sealed record Command(string? Title, InitiativeStatus? Status, string? ExternalUrl) : IInitiativeFields;

    // Gives the body its limits in the API document; the same rules run in the pipeline on CreateInitiative's command.
    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => Include(new InitiativeFieldsValidator());
    }

    public static Task<Created<InitiativeResponse>> Endpoint(Guid objectiveId, Command body, ISender sender, HttpResponse response, CancellationToken ct) =>
        CreateInitiative.SendAsync(new CreateInitiative.Command(body.Title, body.Status, body.ExternalUrl) { Owner = InitiativeOwner.OfObjective(objectiveId) },
            sender, response, ct);
}
