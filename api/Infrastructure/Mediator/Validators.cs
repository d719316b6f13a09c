using FluentValidation;
using OkrKpi.Api.Features.Audit;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Features.Session;
using OkrKpi.Api.Features.Teams;
using OkrKpi.Api.Features.Tokens;
using OkrKpi.Api.Features.Users;

namespace OkrKpi.Api.Infrastructure.Mediator;

/// <summary>
/// The validator of each message, named here rather than found by scanning the assembly: the scan loads every type of
/// the assembly (~1,500) and cost each cold start ~20 ms (make bench, B10). ValidatorRegistrationTests fails for a
/// message validator missing from this list. Validators hold no state and take no scoped services, so each is built
/// once, not on every request (5 % of a cached dashboard read).
/// </summary>
public static class Validators
{
    public static IServiceCollection AddValidators(this IServiceCollection services) => services
        .AddSingleton<IValidator<ListAuditEntries.Query>, ListAuditEntries.Validator>()
        .AddSingleton<IValidator<CreateKpi.Command>, CreateKpi.Validator>()
        .AddSingleton<IValidator<UpdateKpi.Command>, UpdateKpi.Validator>()
        .AddSingleton<IValidator<ListKpis.Query>, ListKpis.Validator>()
        .AddSingleton<IValidator<ImportKpis.Command>, ImportKpis.Validator>()
        .AddSingleton<IValidator<PushKpiMeasurements.Command>, PushKpiMeasurements.Validator>()
        .AddSingleton<IValidator<PushMeasurementBatch.Command>, PushMeasurementBatch.Validator>()
        .AddSingleton<IValidator<ImportMeasurements.Command>, ImportMeasurements.Validator>()
        .AddSingleton<IValidator<ExportMeasurements.Query>, ExportMeasurements.Validator>()
        .AddSingleton<IValidator<GetDashboard.Query>, GetDashboard.Validator>()
        .AddSingleton<IValidator<GetKpiSeries.Query>, GetKpiSeries.Validator>()
        .AddSingleton<IValidator<CreateCycle.Command>, CreateCycle.Validator>()
        .AddSingleton<IValidator<UpdateCycle.Command>, UpdateCycle.Validator>()
        .AddSingleton<IValidator<ListCycles.Query>, ListCycles.Validator>()
        .AddSingleton<IValidator<CreateObjective.Command>, CreateObjective.Validator>()
        .AddSingleton<IValidator<UpdateObjective.Command>, UpdateObjective.Validator>()
        .AddSingleton<IValidator<CarryOverObjective.Command>, CarryOverObjective.Validator>()
        .AddSingleton<IValidator<ScoreObjective.Command>, ScoreObjective.Validator>()
        .AddSingleton<IValidator<ListObjectives.Query>, ListObjectives.Validator>()
        .AddSingleton<IValidator<CreateKeyResult.Command>, CreateKeyResult.Validator>()
        .AddSingleton<IValidator<UpdateKeyResult.Command>, UpdateKeyResult.Validator>()
        .AddSingleton<IValidator<CreateCheckIn.Command>, CreateCheckIn.Validator>()
        .AddSingleton<IValidator<ListCheckIns.Query>, ListCheckIns.Validator>()
        .AddSingleton<IValidator<CreateInitiative.Command>, CreateInitiative.Validator>()
        .AddSingleton<IValidator<UpdateInitiative.Command>, UpdateInitiative.Validator>()
        .AddSingleton<IValidator<GetOkrKpiMatrix.Query>, GetOkrKpiMatrix.Validator>()
        .AddSingleton<IValidator<SignIn.Command>, SignIn.Validator>()
        .AddSingleton<IValidator<CreateTeam.Command>, CreateTeam.Validator>()
        .AddSingleton<IValidator<RenameTeam.Command>, RenameTeam.Validator>()
        .AddSingleton<IValidator<PatchTeam.Command>, PatchTeam.Validator>()
        .AddSingleton<IValidator<ListTeams.Query>, ListTeams.Validator>()
        .AddSingleton<IValidator<CreateToken.Command>, CreateToken.Validator>()
        .AddSingleton<IValidator<ListTokens.Query>, ListTokens.Validator>()
        .AddSingleton<IValidator<CreateUser.Command>, CreateUser.Validator>()
        .AddSingleton<IValidator<UpdateUser.Command>, UpdateUser.Validator>()
        .AddSingleton<IValidator<SetUserPassword.Command>, SetUserPassword.Validator>()
        .AddSingleton<IValidator<ChangeOwnPassword.Command>, ChangeOwnPassword.Validator>()
        .AddSingleton<IValidator<ListUsers.Query>, ListUsers.Validator>();
}
