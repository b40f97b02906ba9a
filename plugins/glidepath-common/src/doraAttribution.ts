/**
 * Which deployment each incident is attributed to, and what is kept per
 * deployment once they are (lead time, failed change, restore): pure
 * functions, as `dora.ts` describes.
 */
import type {
  DeploymentFacts,
  DeploymentOutcome,
  DoraDeployment,
  DoraIncident,
  FailureRule,
} from './dora';

/** Which deployment an incident is attributed to, by which rule, or why none. @public */
export interface IncidentAttribution {
  incidentId: string;
  /** The deployment the incident counts against, or null. */
  deploymentId: string | null;
  /** The rule that attributed it; null when unattributed. */
  rule: 'linked-incident' | 'latest-release' | null;
  /**
   * When deploymentId is null: 'not-opened' (no create event yet),
   * 'unknown-link' (links a deployment id / version not found among the
   * deployments given), 'no-earlier-deployment', 'no-entity'.
   */
  unattributed?:
    | 'not-opened'
    | 'unknown-link'
    | 'no-earlier-deployment'
    | 'no-entity';
}

function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Oldest first; among equal times the greater id comes last. */
function byTimeThenId(a: DoraDeployment, b: DoraDeployment): number {
  return a.deployedAt - b.deployedAt || compareIds(a.id, b.id);
}

/**
 * The index of the last deployment at or before `time` in a timeline sorted
 * by `byTimeThenId`, -1 when none: of several at the same time, the one with
 * the greatest id.
 */
function lastAtOrBefore(
  timeline: readonly DoraDeployment[],
  time: number,
): number {
  let low = 0;
  let high = timeline.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeline[middle].deployedAt <= time) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

type DeploymentIndex = {
  byId: Map<string, DoraDeployment>;
  byEntity: Map<string, DoraDeployment[]>;
  byEntityVersion: Map<string, Map<string, DoraDeployment[]>>;
};

function indexDeployments(
  deployments: readonly DoraDeployment[],
): DeploymentIndex {
  const byId = new Map<string, DoraDeployment>();
  const byEntity = new Map<string, DoraDeployment[]>();
  const byEntityVersion = new Map<string, Map<string, DoraDeployment[]>>();
  for (const deployment of deployments) {
    if (!byId.has(deployment.id)) byId.set(deployment.id, deployment);
    const { entityRef, version } = deployment;
    let timeline = byEntity.get(entityRef);
    if (!timeline) byEntity.set(entityRef, (timeline = []));
    timeline.push(deployment);
    if (version === null) continue;
    let versions = byEntityVersion.get(entityRef);
    if (!versions) byEntityVersion.set(entityRef, (versions = new Map()));
    let versionTimeline = versions.get(version);
    if (!versionTimeline) versions.set(version, (versionTimeline = []));
    versionTimeline.push(deployment);
  }
  for (const timeline of byEntity.values()) timeline.sort(byTimeThenId);
  for (const versions of byEntityVersion.values()) {
    for (const timeline of versions.values()) timeline.sort(byTimeThenId);
  }
  return { byId, byEntity, byEntityVersion };
}

function attributeOne(
  index: DeploymentIndex,
  incident: DoraIncident,
): IncidentAttribution {
  const incidentId = incident.id;
  const none = (
    unattributed: NonNullable<IncidentAttribution['unattributed']>,
  ): IncidentAttribution => ({
    incidentId,
    deploymentId: null,
    rule: null,
    unattributed,
  });
  const attributed = (
    deployment: DoraDeployment,
    rule: 'linked-incident' | 'latest-release',
  ): IncidentAttribution => ({ incidentId, deploymentId: deployment.id, rule });

  const { openedAt, entityRef } = incident;
  if (openedAt === null) return none('not-opened');

  if (incident.deploymentId !== null) {
    const linked = index.byId.get(incident.deploymentId);
    return linked
      ? attributed(linked, 'linked-incident')
      : none('unknown-link');
  }

  if (incident.version !== null) {
    if (entityRef === null) return none('no-entity');
    const timeline = index.byEntityVersion
      .get(entityRef)
      ?.get(incident.version);
    if (!timeline) return none('unknown-link');
    const before = lastAtOrBefore(timeline, openedAt);
    // None before the incident: the earliest deployment of that version
    // (of several at that time, the greatest id).
    const chosen =
      before >= 0 ? before : lastAtOrBefore(timeline, timeline[0].deployedAt);
    return attributed(timeline[chosen], 'linked-incident');
  }

  if (entityRef === null) return none('no-entity');
  const timeline = index.byEntity.get(entityRef) ?? [];
  let serving = lastAtOrBefore(timeline, openedAt);
  // A change rolled back (aborted, failed) before the incident opened was
  // no longer serving: the version before it was, and that release counts.
  while (serving >= 0 && restoredBefore(timeline[serving], openedAt)) {
    serving--;
  }
  return serving >= 0
    ? attributed(timeline[serving], 'latest-release')
    : none('no-earlier-deployment');
}

/**
 * Whether a deployment was undone by `time`: it failed by its outcome and
 * the previous version was serving again (`finishedAt`) at or before then.
 */
function restoredBefore(deployment: DoraDeployment, time: number): boolean {
  return (
    failedByOutcome(deployment.outcome) &&
    deployment.finishedAt !== null &&
    deployment.finishedAt <= time
  );
}

/**
 * Attributes each incident to the deployment that caused it, one result per
 * incident in the same order. The rules, in order:
 *
 * 1. An incident not opened yet (its create event has not arrived) is not
 *    attributed: `not-opened`.
 * 2. An explicit link wins. A `deploymentId` names the deployment, whatever
 *    its entity or time; when it is not among `deployments` the incident is
 *    `unknown-link` (a version link is then not tried). Otherwise a
 *    `version` names the latest deployment of the incident's entity with that
 *    version deployed at or before the incident opened, or, if that version
 *    was only deployed later, its earliest deployment; no deployment of that
 *    version is `unknown-link` (and no entity, `no-entity`).
 * 3. Without a link, the incident counts against the release of its entity
 *    serving when it opened (`latest-release`): the latest deployment at or
 *    before that time, passing over those rolled back, aborted or failed
 *    whose restore (`finishedAt`, the previous version serving again) came
 *    at or before it, since they no longer served. `no-entity` without an
 *    entity, `no-earlier-deployment` when no deployment was serving.
 *
 * Deployments at the same time are ordered by id, the greater id being the
 * later, so the result does not depend on the order of the inputs.
 * O((D + I) log D): deployments are grouped per entity (and version) and
 * sorted once, each incident is a binary search (and a step back over each
 * change undone before it).
 * @public
 */
export function attributeIncidents(
  deployments: readonly DoraDeployment[],
  incidents: readonly DoraIncident[],
): IncidentAttribution[] {
  const index = indexDeployments(deployments);
  return incidents.map(incident => attributeOne(index, incident));
}

function failedByOutcome(outcome: DeploymentOutcome): boolean {
  return (
    outcome === 'rolled_back' || outcome === 'aborted' || outcome === 'failed'
  );
}

/**
 * What is kept per deployment once incidents are attributed, one result per
 * deployment in the same order.
 *
 * A deployment is a failed change when it was rolled back, aborted or failed
 * (rule `rolled-back`, which wins over incidents) or when an incident is
 * attributed to it (`linked-incident` if any of its incidents was linked
 * explicitly, else `latest-release`). Its failure starts at the earliest of
 * its deployment (when its outcome failed) and its incidents' openings, and
 * is restored at the latest of its restore (`finishedAt`, when its outcome
 * failed) and its incidents' resolutions, or not yet restored (null) while
 * any of these is missing. A restore before the start counts as at the
 * start: durations are never negative.
 *
 * Lead time is from the first commit to production, for succeeded
 * deployments only, and null rather than negative when the first commit is
 * later than the deployment.
 * @public
 */
export function deploymentFacts(
  deployments: readonly DoraDeployment[],
  incidents: readonly DoraIncident[],
): DeploymentFacts[] {
  const attributed = new Map<
    string,
    Array<{ incident: DoraIncident; rule: IncidentAttribution['rule'] }>
  >();
  attributeIncidents(deployments, incidents).forEach(
    ({ deploymentId, rule }, i) => {
      if (deploymentId === null) return;
      let list = attributed.get(deploymentId);
      if (!list) attributed.set(deploymentId, (list = []));
      list.push({ incident: incidents[i], rule });
    },
  );

  return deployments.map(deployment => {
    const own = attributed.get(deployment.id) ?? [];
    const outcomeFailed = failedByOutcome(deployment.outcome);
    const failed = outcomeFailed || own.length > 0;

    let failureRule: FailureRule | null = null;
    if (outcomeFailed) failureRule = 'rolled-back';
    else if (own.some(a => a.rule === 'linked-incident')) {
      failureRule = 'linked-incident';
    } else if (own.length) failureRule = 'latest-release';

    let failureStartedAt: number | null = null;
    let restoredAt: number | null = null;
    if (failed) {
      let start = outcomeFailed ? deployment.deployedAt : Infinity;
      let restore: number | null = outcomeFailed
        ? deployment.finishedAt
        : -Infinity;
      for (const { incident } of own) {
        // Attributed incidents are opened: `not-opened` is never attributed.
        start = Math.min(start, incident.openedAt!);
        restore =
          restore === null || incident.resolvedAt === null
            ? null
            : Math.max(restore, incident.resolvedAt);
      }
      failureStartedAt = start;
      restoredAt = restore === null ? null : Math.max(start, restore);
    }

    const { firstCommitAt, deployedAt } = deployment;
    const leadTimeMs =
      deployment.outcome === 'succeeded' &&
      firstCommitAt !== null &&
      firstCommitAt <= deployedAt
        ? deployedAt - firstCommitAt
        : null;

    return {
      id: deployment.id,
      entityRef: deployment.entityRef,
      deployedAt,
      leadTimeMs,
      failed,
      failureRule,
      failureStartedAt,
      restoredAt,
      incidentIds: own.map(a => a.incident.id).sort(compareIds),
    };
  });
}
