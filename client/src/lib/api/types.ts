import type { operations } from '@/lib/api/schema';

// Names for the generated types, reached through operation ids (stable: WithName in the API's route tables) rather
// than through schema names (which follow C# class names and change with a refactor). Nothing here is written by
// hand but the names.

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON of an operation's success answer (its 200, else its 201). */
export type Answer<Op extends keyof operations> = operations[Op]['responses'] extends infer R
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer A }
      ? Json<A>
      : never
  : never;

/** The JSON body an operation takes. */
export type Body<Op extends keyof operations> = Json<NonNullable<operations[Op]['requestBody']>>;

export type Kpi = Answer<'GetKpi'>;
export type KpiInput = Body<'CreateKpi'>;
export type KpiTarget = Kpi['target'];
export type ValueType = Kpi['valueType'];
export type Frequency = Kpi['frequency'];
export type Comparator = NonNullable<KpiTarget['comparator']>;
export type Aggregation = Kpi['aggregation'];
export type FedBy = Kpi['fedBy'];
export type Explanation = Answer<'ExplainMeasurement'>;

export type DashboardItem = Answer<'GetDashboard'>['items'][number];
export type Series = Answer<'GetKpiSeries'>;
export type Measurement = Series['items'][number];
export type ImportReport = Answer<'ImportMeasurements'>;

export type Session = Answer<'GetSession'>;
export type User = Answer<'GetUser'>;
export type Role = User['role'];
export type Team = Answer<'GetTeam'>;
export type Token = Answer<'ListTokens'>['items'][number];
export type CreatedToken = Answer<'CreateToken'>;
export type AuditEntry = Answer<'ListAuditEntries'>['items'][number];

export type Cycle = Answer<'GetCycle'>;
export type CycleStatus = Cycle['status'];
export type CycleSuggestion = Answer<'SuggestCycle'>;
export type Objective = Answer<'GetObjective'>;
export type ObjectiveInput = Body<'CreateObjective'>;
export type ObjectiveUpdate = Body<'UpdateObjective'>;
export type KeyResult = Objective['keyResults'][number];
export type KeyResultInput = Body<'CreateKeyResult'>;
export type KeyResultUpdate = Body<'UpdateKeyResult'>;
export type KeyResultType = KeyResult['type'];
export type OkrHealth = KeyResult['health'];
export type CheckIn = Answer<'ListCheckIns'>['items'][number];
export type Initiative = Answer<'GetInitiative'>;
export type InitiativeStatus = Initiative['status'];
export type Alignment = Answer<'GetAlignment'>;
export type AlignmentNode = Alignment['nodes'][number];
// The matrix answers JSON or CSV; the client reads the JSON (the CSV is a download link).
export type OkrKpiMatrix = Exclude<Answer<'GetOkrKpiMatrix'>, string>;
export type CycleEvaluation = Answer<'GetCycleEvaluation'>;
export type OkrHealthCheck = Answer<'GetOkrHealthCheck'>;

export type Alert = Answer<'ListAlerts'>['items'][number];
export type Follows = Answer<'ListFollows'>;
export type Webhook = Answer<'GetWebhook'>;
export type WebhookInput = Body<'CreateWebhook'>;
export type CreatedWebhook = Answer<'CreateWebhook'>;
export type WebhookEventType = Webhook['eventTypes'][number];
export type WebhookStatusFilter = NonNullable<Webhook['statuses']>[number];
export type WebhookFormat = Webhook['format'];
export type WebhookDelivery = Answer<'ListWebhookDeliveries'>['items'][number];
export type WebhookAttempt = WebhookDelivery['attemptLog'][number];

export type Receiver = Answer<'ListReceivers'>['items'][number];
export type ReceiverInput = Body<'CreateReceiver'>;
export type ReceiverPatch = NonNullable<operations['PatchReceiver']['requestBody']>['content']['application/merge-patch+json'];
export type ReceiverDefinition = Receiver['definition'];
export type ReceiverDelivery = Answer<'ListReceiverDeliveries'>[number];
export type ReceiverTryResult = Answer<'TryReceiverPayload'>;
export type ServiceAccount = Answer<'ListServiceAccounts'>['items'][number];
export type ServiceAccountInput = Body<'CreateServiceAccount'>;
