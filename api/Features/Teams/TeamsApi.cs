using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Teams;

/// <summary>The route table of the teams feature. Everyone signed in reads the organisation chart; admins change it.</summary>
public static class TeamsApi
{
    public static RouteGroupBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/api/v1/teams")
            .WithTags("Teams")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        teams.MapPost("/", CreateTeam.Endpoint).WithName(nameof(CreateTeam)).RequireAuthorization(Policies.Admin).ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        teams.MapGet("/", ListTeams.Endpoint).WithName(nameof(ListTeams)).RequireAuthorization(Policies.DirectoryRead);
        teams.MapGet("/{teamId:guid}", GetTeam.Endpoint).WithName(nameof(GetTeam)).RequireAuthorization(Policies.DirectoryRead).ProducesProblem(StatusCodes.Status404NotFound);
        teams.MapPatch("/{teamId:guid}", PatchTeam.Endpoint).WithName(nameof(PatchTeam)).RequireAuthorization(Policies.Admin).AcceptsMergePatch<PatchTeam.Body>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        teams.MapPut("/{teamId:guid}/name", RenameTeam.Endpoint).WithName(nameof(RenameTeam)).RequireAuthorization(Policies.Admin).UpdatesWithIfMatch().AcceptsJsonProblems();
        teams.MapPut("/{teamId:guid}/parent", MoveTeam.Endpoint).WithName(nameof(MoveTeam)).RequireAuthorization(Policies.Admin).UpdatesWithIfMatch().AcceptsJsonProblems();
        teams.MapDelete("/{teamId:guid}", DeleteTeam.Endpoint).WithName(nameof(DeleteTeam)).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return teams;
    }
}
