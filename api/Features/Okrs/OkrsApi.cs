using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>The route table of OKRs: cycles and their whole-cycle reads, objectives, key results, check-ins, initiatives and "my OKRs".</summary>
public static class OkrsApi
{
    public static IEndpointRouteBuilder MapOkrs(this IEndpointRouteBuilder app)
    {
        var cycles = app.MapGroup("/api/v1/cycles")
            .WithTags("Cycles")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        // A cycle has no owning team or person, so creating, changing and moving one is the admins' (the handlers say so too).
        cycles.MapPost("/", CreateCycle.Endpoint).WithName(nameof(CreateCycle)).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        cycles.MapGet("/", ListCycles.Endpoint).WithName(nameof(ListCycles)).RequireAuthorization(Policies.OkrsRead);
        cycles.MapGet("/next", SuggestCycle.Endpoint).WithName(nameof(SuggestCycle)).RequireAuthorization(Policies.OkrsRead);
        cycles.MapGet("/matrix", GetOkrKpiMatrixAcrossCycles.Endpoint).WithName(nameof(GetOkrKpiMatrixAcrossCycles)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cycles.MapGet("/{cycleId:guid}", GetCycle.Endpoint).WithName(nameof(GetCycle)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound);
        cycles.MapGet("/{cycleId:guid}/alignment", GetAlignment.Endpoint).WithName(nameof(GetAlignment)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cycles.MapGet("/{cycleId:guid}/matrix", GetOkrKpiMatrix.Endpoint).WithName(nameof(GetOkrKpiMatrix)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cycles.MapGet("/{cycleId:guid}/evaluation", GetCycleEvaluation.Endpoint).WithName(nameof(GetCycleEvaluation)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cycles.MapGet("/{cycleId:guid}/health-check", GetOkrHealthCheck.Endpoint).WithName(nameof(GetOkrHealthCheck)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cycles.MapPut("/{cycleId:guid}", UpdateCycle.Endpoint).WithName(nameof(UpdateCycle)).RequireAuthorization(Policies.Admin)
            .UpdatesWithIfMatch().AcceptsJsonProblems();
        cycles.MapPost("/{cycleId:guid}/activate", ChangeCycleStatus.Activate).WithName("ActivateCycle").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        cycles.MapPost("/{cycleId:guid}/close", ChangeCycleStatus.Close).WithName("CloseCycle").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        cycles.MapPost("/{cycleId:guid}/reopen", ChangeCycleStatus.Reopen).WithName("ReopenCycle").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        var objectives = app.MapGroup("/api/v1/objectives")
            .WithTags("Objectives")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        objectives.MapPost("/", CreateObjective.Endpoint).WithName(nameof(CreateObjective)).RequireAuthorization(Policies.OkrsWrite)
            .ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        objectives.MapGet("/", ListObjectives.Endpoint).WithName(nameof(ListObjectives)).RequireAuthorization(Policies.OkrsRead);
        objectives.MapGet("/{objectiveId:guid}", GetObjective.Endpoint).WithName(nameof(GetObjective)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound);
        objectives.MapPut("/{objectiveId:guid}", UpdateObjective.Endpoint).WithName(nameof(UpdateObjective)).RequireAuthorization(Policies.OkrsWrite)
            .UpdatesWithIfMatch().AcceptsJsonProblems();
        objectives.MapPatch("/{objectiveId:guid}", PatchObjective.Endpoint).WithName(nameof(PatchObjective)).RequireAuthorization(Policies.OkrsWrite)
            .AcceptsMergePatch<UpdateObjective.Command>();
        objectives.MapDelete("/{objectiveId:guid}", DeleteObjective.Endpoint).WithName(nameof(DeleteObjective)).RequireAuthorization(Policies.OkrsWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        objectives.MapPost("/{objectiveId:guid}/key-results", CreateKeyResult.Endpoint).WithName(nameof(CreateKeyResult)).RequireAuthorization(Policies.OkrsWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();

        objectives.MapPost("/{objectiveId:guid}/initiatives", CreateObjectiveInitiative.Endpoint).WithName(nameof(CreateObjectiveInitiative))
            .RequireAuthorization(Policies.OkrsWrite).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        objectives.MapGet("/{objectiveId:guid}/initiatives", ListObjectiveInitiatives.Endpoint).WithName(nameof(ListObjectiveInitiatives))
            .RequireAuthorization(Policies.OkrsRead).ProducesProblem(StatusCodes.Status404NotFound);
        objectives.MapPost("/{objectiveId:guid}/carry-over", CarryOverObjective.Endpoint).WithName(nameof(CarryOverObjective)).RequireAuthorization(Policies.OkrsWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        objectives.MapPut("/{objectiveId:guid}/score", ScoreObjective.Endpoint).WithName(nameof(ScoreObjective)).RequireAuthorization(Policies.OkrsWrite)
            .UpdatesWithIfMatch().AcceptsJsonProblems();

        var keyResults = app.MapGroup("/api/v1/key-results")
            .WithTags("KeyResults")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        keyResults.MapGet("/{keyResultId:guid}", GetKeyResult.Endpoint).WithName(nameof(GetKeyResult)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound);
        keyResults.MapPut("/{keyResultId:guid}", UpdateKeyResult.Endpoint).WithName(nameof(UpdateKeyResult)).RequireAuthorization(Policies.OkrsWrite)
            .UpdatesWithIfMatch().AcceptsJsonProblems();
        keyResults.MapPatch("/{keyResultId:guid}", PatchKeyResult.Endpoint).WithName(nameof(PatchKeyResult)).RequireAuthorization(Policies.OkrsWrite)
            .AcceptsMergePatch<UpdateKeyResult.Command>();
        keyResults.MapDelete("/{keyResultId:guid}", DeleteKeyResult.Endpoint).WithName(nameof(DeleteKeyResult)).RequireAuthorization(Policies.OkrsWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        keyResults.MapPost("/{keyResultId:guid}/check-ins", CreateCheckIn.Endpoint).WithName(nameof(CreateCheckIn)).RequireAuthorization(Policies.OkrsWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        keyResults.MapGet("/{keyResultId:guid}/check-ins", ListCheckIns.Endpoint).WithName(nameof(ListCheckIns)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound);

        keyResults.MapPost("/{keyResultId:guid}/initiatives", CreateInitiative.Endpoint).WithName(nameof(CreateInitiative)).RequireAuthorization(Policies.OkrsWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        keyResults.MapGet("/{keyResultId:guid}/initiatives", ListInitiatives.Endpoint).WithName(nameof(ListInitiatives)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var initiatives = app.MapGroup("/api/v1/initiatives")
            .WithTags("Initiatives")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        initiatives.MapGet("/{initiativeId:guid}", GetInitiative.Endpoint).WithName(nameof(GetInitiative)).RequireAuthorization(Policies.OkrsRead)
            .ProducesProblem(StatusCodes.Status404NotFound);
        initiatives.MapPut("/{initiativeId:guid}", UpdateInitiative.Endpoint).WithName(nameof(UpdateInitiative)).RequireAuthorization(Policies.OkrsWrite)
            .UpdatesWithIfMatch().AcceptsJsonProblems();
        initiatives.MapDelete("/{initiativeId:guid}", DeleteInitiative.Endpoint).WithName(nameof(DeleteInitiative)).RequireAuthorization(Policies.OkrsWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        var okrs = app.MapGroup("/api/v1/okrs")
            .WithTags("Objectives")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        okrs.MapGet("/mine", ListObjectives.Mine).WithName("ListMyOkrs").RequireAuthorization(Policies.OkrsRead);

        return app;
    }
}
