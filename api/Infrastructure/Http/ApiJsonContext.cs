using System.Text.Json.Serialization;
using OkrKpi.Api.Features.Audit;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Features.Session;
using OkrKpi.Api.Features.Teams;
using OkrKpi.Api.Features.Tokens;
using OkrKpi.Api.Features.Users;

namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>
/// Compile-time JSON metadata for every body an endpoint reads and every response it writes. The generated request
/// delegates ask for the body types' metadata when the endpoints are built, before the first request is routed: by
/// reflection that took ~170 ms of a ~600 ms cold start, from here ~140 ms (make bench, B10; most of the rest is
/// JIT-compiling generic JSON code, see Api.csproj). Only metadata is generated: the options StrictJson sets (enum
/// names, unmapped members, naming) apply as they did by reflection, and a type missing here still works through the
/// reflection resolver behind this one (JsonMetadataTests names it).
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CreateKpi.Command), TypeInfoPropertyName = "CreateKpiCommand")]
[JsonSerializable(typeof(UpdateKpi.Command), TypeInfoPropertyName = "UpdateKpiCommand")]
[JsonSerializable(typeof(KpiResponse))]
[JsonSerializable(typeof(Page<KpiResponse>), TypeInfoPropertyName = "KpiResponsePage")]
[JsonSerializable(typeof(ImportKpis.Response), TypeInfoPropertyName = "ImportKpisResponse")]
[JsonSerializable(typeof(MeasurementInput))]
[JsonSerializable(typeof(MeasurementResponse))]
[JsonSerializable(typeof(PushMeasurement.Response), TypeInfoPropertyName = "PushMeasurementResponse")]
[JsonSerializable(typeof(PushMeasurementBatch.Body), TypeInfoPropertyName = "PushMeasurementBatchBody")]
[JsonSerializable(typeof(PushKpiMeasurements.Body), TypeInfoPropertyName = "PushKpiMeasurementsBody")]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(ImportMeasurements.Response), TypeInfoPropertyName = "ImportMeasurementsResponse")]
[JsonSerializable(typeof(ListMeasurementRevisions.Response), TypeInfoPropertyName = "ListMeasurementRevisionsResponse")]
[JsonSerializable(typeof(GetKpiSeries.Response), TypeInfoPropertyName = "GetKpiSeriesResponse")]
[JsonSerializable(typeof(Page<GetDashboard.Item>), TypeInfoPropertyName = "GetDashboardItemPage")]
[JsonSerializable(typeof(CreateCycle.Command), TypeInfoPropertyName = "CreateCycleCommand")]
[JsonSerializable(typeof(UpdateCycle.Command), TypeInfoPropertyName = "UpdateCycleCommand")]
[JsonSerializable(typeof(CycleResponse))]
[JsonSerializable(typeof(Page<CycleResponse>), TypeInfoPropertyName = "CycleResponsePage")]
[JsonSerializable(typeof(SuggestCycle.Suggestion), TypeInfoPropertyName = "SuggestCycleSuggestion")]
[JsonSerializable(typeof(CreateObjective.Command), TypeInfoPropertyName = "CreateObjectiveCommand")]
[JsonSerializable(typeof(UpdateObjective.Command), TypeInfoPropertyName = "UpdateObjectiveCommand")]
[JsonSerializable(typeof(CarryOverObjective.Command), TypeInfoPropertyName = "CarryOverObjectiveCommand")]
[JsonSerializable(typeof(ScoreObjective.Command), TypeInfoPropertyName = "ScoreObjectiveCommand")]
[JsonSerializable(typeof(ObjectiveResponse))]
[JsonSerializable(typeof(Page<ObjectiveResponse>), TypeInfoPropertyName = "ObjectiveResponsePage")]
[JsonSerializable(typeof(CreateKeyResult.Command), TypeInfoPropertyName = "CreateKeyResultCommand")]
[JsonSerializable(typeof(UpdateKeyResult.Command), TypeInfoPropertyName = "UpdateKeyResultCommand")]
[JsonSerializable(typeof(KeyResultResponse))]
[JsonSerializable(typeof(CreateCheckIn.Command), TypeInfoPropertyName = "CreateCheckInCommand")]
[JsonSerializable(typeof(CheckInResponse))]
[JsonSerializable(typeof(Page<CheckInResponse>), TypeInfoPropertyName = "CheckInResponsePage")]
[JsonSerializable(typeof(CreateInitiative.Command), TypeInfoPropertyName = "CreateInitiativeCommand")]
[JsonSerializable(typeof(UpdateInitiative.Command), TypeInfoPropertyName = "UpdateInitiativeCommand")]
[JsonSerializable(typeof(InitiativeResponse))]
[JsonSerializable(typeof(Page<InitiativeResponse>), TypeInfoPropertyName = "InitiativeResponsePage")]
[JsonSerializable(typeof(GetAlignment.Response), TypeInfoPropertyName = "GetAlignmentResponse")]
[JsonSerializable(typeof(GetCycleEvaluation.Response), TypeInfoPropertyName = "GetCycleEvaluationResponse")]
[JsonSerializable(typeof(GetOkrHealthCheck.Response), TypeInfoPropertyName = "GetOkrHealthCheckResponse")]
[JsonSerializable(typeof(GetOkrKpiMatrix.Response), TypeInfoPropertyName = "GetOkrKpiMatrixResponse")]
[JsonSerializable(typeof(SignIn.Body), TypeInfoPropertyName = "SignInBody")]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(CreateTeam.Command), TypeInfoPropertyName = "CreateTeamCommand")]
[JsonSerializable(typeof(MoveTeam.Body), TypeInfoPropertyName = "MoveTeamBody")]
[JsonSerializable(typeof(RenameTeam.Body), TypeInfoPropertyName = "RenameTeamBody")]
[JsonSerializable(typeof(PatchTeam.Body), TypeInfoPropertyName = "PatchTeamBody")]
[JsonSerializable(typeof(TeamResponse))]
[JsonSerializable(typeof(Page<TeamResponse>), TypeInfoPropertyName = "TeamResponsePage")]
[JsonSerializable(typeof(CreateToken.Command), TypeInfoPropertyName = "CreateTokenCommand")]
[JsonSerializable(typeof(CreateToken.Response), TypeInfoPropertyName = "CreateTokenResponse")]
[JsonSerializable(typeof(Page<TokenResponse>), TypeInfoPropertyName = "TokenResponsePage")]
[JsonSerializable(typeof(CreateUser.Command), TypeInfoPropertyName = "CreateUserCommand")]
[JsonSerializable(typeof(UpdateUser.Body), TypeInfoPropertyName = "UpdateUserBody")]
[JsonSerializable(typeof(SetUserPassword.Body), TypeInfoPropertyName = "SetUserPasswordBody")]
[JsonSerializable(typeof(ChangeOwnPassword.Body), TypeInfoPropertyName = "ChangeOwnPasswordBody")]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(Page<UserResponse>), TypeInfoPropertyName = "UserResponsePage")]
[JsonSerializable(typeof(Page<ListAuditEntries.AuditEntryResponse>), TypeInfoPropertyName = "ListAuditEntriesAuditEntryResponsePage")]
// Nested types that share a name with another slice's need a name of their own in the context.
[JsonSerializable(typeof(ImportKpis.ImportError), TypeInfoPropertyName = "ImportKpisImportError")]
[JsonSerializable(typeof(IReadOnlyList<ImportKpis.ImportError>), TypeInfoPropertyName = "ImportKpisImportErrorList")]
[JsonSerializable(typeof(ImportMeasurements.ImportError), TypeInfoPropertyName = "ImportMeasurementsImportError")]
[JsonSerializable(typeof(IReadOnlyList<ImportMeasurements.ImportError>), TypeInfoPropertyName = "ImportMeasurementsImportErrorList")]
[JsonSerializable(typeof(GetCycleEvaluation.Objective), TypeInfoPropertyName = "GetCycleEvaluationObjective")]
[JsonSerializable(typeof(IReadOnlyList<GetCycleEvaluation.Objective>), TypeInfoPropertyName = "GetCycleEvaluationObjectiveList")]
[JsonSerializable(typeof(GetCycleEvaluation.KeyResult), TypeInfoPropertyName = "GetCycleEvaluationKeyResult")]
[JsonSerializable(typeof(IReadOnlyList<GetCycleEvaluation.KeyResult>), TypeInfoPropertyName = "GetCycleEvaluationKeyResultList")]
[JsonSerializable(typeof(GetOkrKpiMatrix.Objective), TypeInfoPropertyName = "GetOkrKpiMatrixObjective")]
[JsonSerializable(typeof(IReadOnlyList<GetOkrKpiMatrix.Objective>), TypeInfoPropertyName = "GetOkrKpiMatrixObjectiveList")]
[JsonSerializable(typeof(GetOkrKpiMatrix.KeyResult), TypeInfoPropertyName = "GetOkrKpiMatrixKeyResult")]
[JsonSerializable(typeof(IReadOnlyList<GetOkrKpiMatrix.KeyResult>), TypeInfoPropertyName = "GetOkrKpiMatrixKeyResultList")]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
