import type { components } from './schema/openapi.generated';

type Schemas = components['schemas'];

/** A phase of a release. @public */
export type ReleasePhase = Schemas['ReleasePhase'];
/** How a release shifts traffic. @public */
export type ReleaseStrategy = Schemas['ReleaseStrategy'];
/** An action a person or policy can take on a release. @public */
export type ActionType = Schemas['ActionType'];
/** The lifecycle of an action. @public */
export type ActionState = Schemas['ActionState'];
/** The kind of one rollout step. @public */
export type StepKind = Schemas['StepKind'];
/** @public */
export type StepStatus = Schemas['StepStatus'];
/** One step of a rollout (set a weight, pause, analyse, preview, switch). @public */
export type ReleaseStep = Schemas['ReleaseStep'];
/** The Experiment an experiment step runs, with its ReplicaSets and analysis runs. @public */
export type StepExperiment = Schemas['StepExperiment'];
/** One template of a step's experiment and the ReplicaSet that runs it. @public */
export type StepExperimentTemplate = Schemas['StepExperimentTemplate'];
/** An analysis run of a step's experiment. @public */
export type StepExperimentRun = Schemas['StepExperimentRun'];
/** Who or what did something. @public */
export type Actor = Schemas['Actor'];
/** One version of one entity going to one environment. @public */
export type Release = Schemas['Release'];
/** A change of a release as Glidepath observed it. @public */
export type ReleaseEvent = Schemas['ReleaseEvent'];
/** The body of a request for an action. @public */
export type ActionRequest = Schemas['ActionRequest'];
/** An action and its state. @public */
export type ReleaseAction = Schemas['ReleaseAction'];
/** A release with its events and actions. @public */
export type ReleaseDetail = Schemas['ReleaseDetail'];
/** The releases in flight across the catalog. @public */
export type ReleasesInFlight = Schemas['ReleasesInFlight'];
/** A release in flight, with its entity's title and owner. @public */
export type ReleaseInFlight = Schemas['ReleaseInFlight'];
/** One page of an entity's release history. @public */
export type ReleasePage = Schemas['ReleasePage'];
/** A Glidepath annotation that could not be used, and why. @public */
export type AnnotationProblem = Schemas['AnnotationProblem'];
/** How fresh an entity's stored releases are. @public */
export type ProviderStatus = Schemas['ProviderStatus'];
/** An entity's release summary. @public */
export type EntityReleaseSummary = Schemas['EntityReleaseSummary'];
/** One environment of an entity and its current release. @public */
export type EnvironmentRelease = Schemas['EnvironmentRelease'];
/** @public */
export type Verdict = Schemas['Verdict'];
/** @public */
export type AnalysisDecision = Schemas['AnalysisDecision'];
/** @public */
export type AnalysisRule = Schemas['AnalysisRule'];
/** @public */
export type ArmEvidence = Schemas['ArmEvidence'];
/** @public */
export type MetricEvidence = Schemas['MetricEvidence'];
/** @public */
export type Analysis = Schemas['Analysis'];
/** An analysis run of the rollout provider itself (an Argo AnalysisRun). @public */
export type ProviderAnalysisRun = Schemas['ProviderAnalysisRun'];
/** A metric of a provider's analysis run with its measurements. @public */
export type ProviderAnalysisMetric = Schemas['ProviderAnalysisMetric'];
/** One measurement of a provider's analysis metric. @public */
export type ProviderAnalysisMeasurement =
  Schemas['ProviderAnalysisMeasurement'];
/** Which way a graph query follows edges. @public */
export type GraphDirection = Schemas['GraphDirection'];
/** What a graph was asked for. @public */
export type GraphScope = Schemas['GraphScope'];
/** What runs of an entity in one environment. @public */
export type GraphDeployment = Schemas['GraphDeployment'];
/** An entity in the dependency graph. @public */
export type GraphNode = Schemas['GraphNode'];
/** A dependency between two entities of the graph. @public */
export type GraphEdge = Schemas['GraphEdge'];
/** A version requirement on an edge, checked per environment. @public */
export type GraphRequirement = Schemas['GraphRequirement'];
/** @public */
export type RequirementStatus = Schemas['RequirementStatus'];
/** @public */
export type RequirementCheck = Schemas['RequirementCheck'];
/** Release layers, or the cycles that prevent them. @public */
export type ReleaseOrder = Schemas['ReleaseOrder'];
/** The dependency graph as the API serves it. @public */
export type DependencyGraph = Schemas['DependencyGraph'];
/** An entity a graph's node names that gives no edge, and why. @public */
export type GraphMissing = Schemas['GraphMissing'];
/** A proposed version of an entity, for a release or a rollback. @public */
export type ProposedChange = Schemas['ProposedChange'];
/** A requirement a proposed change would break. @public */
export type RequirementViolation = Schemas['RequirementViolation'];
/** What a set of proposed changes would break, and their order. @public */
export type GraphCheckResult = Schemas['GraphCheckResult'];
/** A deployment event posted by a CI/CD system. @public */
export type DeploymentEvent = Schemas['DeploymentEvent'];
/** An incident event posted by a paging tool. @public */
export type IncidentEvent = Schemas['IncidentEvent'];
/** What was stored of posted events. @public */
export type EventsReceived = Schemas['EventsReceived'];
/** A received event whose entity the catalog did not know. @public */
export type UnmatchedEvent = Schemas['UnmatchedEvent'];
/** A failed change and the rule that made it one. @public */
export type DoraFailure = Schemas['DoraFailure'];
/** A team's or a service's row of a DORA breakdown. @public */
export type DoraGroup = Schemas['DoraGroup'];
/** The answer of GET /dora. @public */
export type DoraResponse = Schemas['DoraResponse'];
/** A weekly report in a list. @public */
export type DoraReportSummary = Schemas['DoraReportSummary'];
/** A team's weekly DORA report. @public */
export type DoraWeeklyReport = Schemas['DoraWeeklyReport'];
/**
 * The feature-flag section of a team's weekly report: its stale flags with
 * the day each is due for cleanup, and the share of the week's new features
 * behind flags against the target.
 * @public
 */
export type DoraReportFlags = Schemas['DoraReportFlags'];
/** A stale flag in a team's weekly report. @public */
export type DoraReportStaleFlag = Schemas['DoraReportStaleFlag'];
/**
 * The release metrics of a scope (GET /release-metrics): the share of
 * production releases rollback-tested first, the share using progressive
 * delivery, and rollback time, overall and per week or month.
 * @public
 */
export type ReleaseMetricsResponse = Schemas['ReleaseMetricsResponse'];
/** The three release metrics of a period. @public */
export type ReleaseMetricsMeasures = Schemas['ReleaseMetricsMeasures'];
/** Rollback time of one kind (automatic or by hand). @public */
export type RollbackTimeMeasure = Schemas['RollbackTimeMeasure'];
/** The release metrics section of a team's weekly report. @public */
export type DoraReportReleaseMetrics = Schemas['DoraReportReleaseMetrics'];
/** A release checklist: items people tick before the release may finish. @public */
export type Checklist = Schemas['Checklist'];
/** One item of a release checklist. @public */
export type ChecklistItem = Schemas['ChecklistItem'];
/** One check or uncheck of an item, by whom and when. @public */
export type ChecklistItemChange = Schemas['ChecklistItemChange'];
/** Whether a checklist holds its release before the final step. @public */
export type ChecklistGate = Schemas['ChecklistGate'];
/** The body of a request to attach a checklist. @public */
export type ChecklistRequest = Schemas['ChecklistRequest'];
/** One item of a checklist request. @public */
export type ChecklistItemRequest = Schemas['ChecklistItemRequest'];
/** The limits of a rollback policy's triggers. @public */
export type RollbackPolicy = Schemas['RollbackPolicy'];
/** The body of a request for a rollback drill. @public */
export type DrillRequest = Schemas['DrillRequest'];
/** A scheduled rollback drill. @public */
export type DrillScheduled = Schemas['DrillScheduled'];
/**
 * A feature flag's governance state:
 * - `permanent`: its type (kill switch, permission) or `temporary: false`
 *   exempts it;
 * - `stale`: older than its type's lifetime;
 * - `launched`: one variation served everywhere for long enough, ready to
 *   be removed from the code;
 * - `inactive`: not evaluated anywhere for long enough;
 * - `due_soon`: in the last days of its lifetime;
 * - `fresh`: none of these.
 * When more than one holds, the first of {@link FLAG_STATES} wins.
 * @public
 */
export type FlagState = Schemas['FlagState'];
/** Every flag state, most urgent first: the order pages list them in. @public */
export const FLAG_STATES: readonly FlagState[] = [
  'stale',
  'launched',
  'inactive',
  'due_soon',
  'fresh',
  'permanent',
];
/** A feature flag of an annotated entity, with its state and owner. @public */
export type Flag = Schemas['Flag'];
/** A flag in one environment. @public */
export type FlagEnvironment = Schemas['FlagEnvironment'];
/** A decision to keep a flag, with a reason and an expiry. @public */
export type FlagKeep = Schemas['FlagKeep'];
/** A page of flags across the catalog. @public */
export type FlagList = Schemas['FlagList'];
/** Where an entity's flags are read from, and how that last went. @public */
export type FlagSource = Schemas['FlagSource'];
/** Something done to a flag (archive, keep), with its outcome. @public */
export type FlagAction = Schemas['FlagAction'];
/** An entity's flags, sources, annotation problems and actions. @public */
export type EntityFlags = Schemas['EntityFlags'];
/** The body of a keep decision. @public */
export type FlagKeepRequest = Schemas['FlagKeepRequest'];
/** The body of a request to archive a flag. @public */
export type FlagArchiveRequest = Schemas['FlagArchiveRequest'];
/** The portal's feature-flag figures: states, teams, ages, debt. @public */
export type FlagSummary = Schemas['FlagSummary'];
/** The share of new features behind flags, against the target. @public */
export type FlagCoverage = Schemas['FlagCoverage'];
/** Where a rollback test stands. @public */
export type RollbackTestState = Schemas['RollbackTestState'];
/** One rollback test of a version in a non-production environment. @public */
export type RollbackTest = Schemas['RollbackTest'];
/** The body of `POST /entities/{kind}/{namespace}/{name}/rollback-tests`. @public */
export type RollbackTestRequest = Schemas['RollbackTestRequest'];
/** The body of `POST /releases/{id}/rollback-gate/override`. @public */
export type RollbackGateOverrideRequest =
  Schemas['RollbackGateOverrideRequest'];
/** A production release's rollback gate. @public */
export type RollbackGate = Schemas['RollbackGate'];
/** The rollback gate's mode. @public */
export type RollbackGateMode = RollbackGate['mode'];
/** A fault a rollback drill injects into a canary. @public */
export type DrillFaultKind = Schemas['DrillFault'];
/** Where a rollback drill stands. @public */
export type DrillState = Schemas['DrillState'];
/** A rollback drill with its timings (injected, detected, recovered). @public */
export type Drill = Schemas['Drill'];
/** Who let a drill run in a production environment, and why. @public */
export type ProductionOverride = Schemas['ProductionOverride'];
/** The body of `POST /game-days`. @public */
export type GameDayRequest = Schemas['GameDayRequest'];
/** One fault of a game day request. @public */
export type GameDayFaultRequest = Schemas['GameDayFaultRequest'];
/** A game day: facilitator, services, faults, hypothesis, drills, outcome. @public */
export type GameDay = Schemas['GameDay'];
/** One fault of a game day with its drill. @public */
export type GameDayFault = Schemas['GameDayFault'];
/** Whether a game day's hypothesis held for a fault, and why. @public */
export type HypothesisCheck = Schemas['HypothesisCheck'];
/** What a game day taught, and its follow-ups. @public */
export type GameDayOutcome = Schemas['GameDayOutcome'];
/** The body of `PUT /game-days/{id}/outcome`. @public */
export type GameDayOutcomeRequest = Schemas['GameDayOutcomeRequest'];
/** A follow-up of a game day, as a link. @public */
export type GameDayFollowUp = Schemas['GameDayFollowUp'];
/** A team's rollback drills of a period, with median timings. @public */
export type DrillTeamStats = Schemas['DrillTeamStats'];
/** The medians of a team's drills over one 30-day period. @public */
export type DrillPeriod = Schemas['DrillPeriod'];
/** Every team's rollback drills of a period. @public */
export type DrillTeamStatsList = Schemas['DrillTeamStatsList'];
/** What a freeze window or release train applies to. @public */
export type CalendarScope = Schemas['CalendarScope'];
/** The body of `POST /calendar/windows`. @public */
export type FreezeWindowRequest = Schemas['FreezeWindowRequest'];
/** A freeze window as stored. @public */
export type FreezeWindow = Schemas['FreezeWindow'];
/** The body of `POST /calendar/trains`. @public */
export type ReleaseTrainRequest = Schemas['ReleaseTrainRequest'];
/** A release train with its next slots. @public */
export type ReleaseTrain = Schemas['ReleaseTrain'];
/** An entity's freeze state per environment and its next trains. @public */
export type EntityCalendar = Schemas['EntityCalendar'];
/** The link of an iCalendar feed (`GET /calendar/feed-link`). @public */
export type CalendarFeedLink = Schemas['CalendarFeedLink'];
/** The body of `POST /releases/{id}/freeze-override`. @public */
export type FreezeOverrideRequest = Schemas['FreezeOverrideRequest'];
/** A break-glass override of a freeze for one release. @public */
export type FreezeOverride = Schemas['FreezeOverride'];
/** The override of an environment's latest release (`EntityCalendar.environments[].override`). @public */
export type ReleaseFreezeOverride = Schemas['ReleaseFreezeOverride'];
/** The error-budget policy's state for a service (`EntityCalendar.errorBudget`). @public */
export type ErrorBudget = Schemas['ErrorBudget'];
/** The body of `POST /releases/{id}/fix`. @public */
export type ReleaseFixRequest = Schemas['ReleaseFixRequest'];
/** A release marked as a fix: it may go out while the error budget is spent. @public */
export type ReleaseFix = Schemas['ReleaseFix'];
/** One member of `POST /plans`: a version of an entity in an environment. @public */
export type PlanMemberRequest = Schemas['PlanMemberRequest'];
/** What must hold before a plan's next wave starts. @public */
export type PlanGates = Schemas['PlanGates'];
/** What a plan does when a member fails. @public */
export type PlanFailurePolicy = Schemas['PlanFailurePolicy'];
/** The body of `POST /plans`. @public */
export type PlanRequest = Schemas['PlanRequest'];
/** The body of a plan's pause, resume, abort or freeze override. @public */
export type PlanControlRequest = Schemas['PlanControlRequest'];
/** Where a plan is. @public */
export type PlanState = Schemas['PlanState'];
/** A member of a plan and where its release is. @public */
export type PlanMember = Schemas['PlanMember'];
/** Where a plan member is. @public */
export type PlanMemberState = Schemas['PlanMember']['state'];
/** A wave of a plan: members released together. @public */
export type PlanWave = Schemas['PlanWave'];
/** Where a wave is. @public */
export type PlanWaveState = Schemas['PlanWave']['state'];
/** One entry of a plan's timeline. @public */
export type PlanEvent = Schemas['PlanEvent'];
/** Who went ahead despite a problem, why, and which problems. @public */
export type PlanOverride = Schemas['PlanOverride'];
/** A release plan: several services released together in dependency order. @public */
export type Plan = Schemas['Plan'];
/** A control of a plan. @public */
export type PlanControl = 'pause' | 'resume' | 'abort' | 'freeze-override';
