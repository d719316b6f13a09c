using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Teams;

/// <summary>The route table of the teams feature.</summary>
public static class TeamsApi
{
    public static RouteGroupBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/api/v1/teams")
            .WithTags("Teams")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        teams.MapPost("/", CreateTeam.Endpoint).WithName(nameof(CreateTeam)).ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        teams.MapGet("/", ListTeams.Endpoint).WithName(nameof(ListTeams));
        teams.MapGet("/{teamId:guid}", GetTeam.Endpoint).WithName(nameof(GetTeam)).ProducesProblem(StatusCodes.Status404NotFound);
        teams.MapPut("/{teamId:guid}/name", RenameTeam.Endpoint).WithName(nameof(RenameTeam)).UpdatesWithIfMatch().AcceptsJsonProblems();
        teams.MapPut("/{teamId:guid}/parent", MoveTeam.Endpoint).WithName(nameof(MoveTeam)).UpdatesWithIfMatch().AcceptsJsonProblems();
        teams.MapDelete("/{teamId:guid}", DeleteTeam.Endpoint).WithName(nameof(DeleteTeam))
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return teams;
    }
}
