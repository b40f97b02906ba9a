import type {
  Analysis,
  DrillState,
  HypothesisCheck,
  Release,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';

/**
 * Game-day timings: which release carried a drill's fault, and what
 * Glidepath recorded of it (its analyses, its actions), read into the
 * drill's times; and whether a game day's hypothesis held. Pure functions
 * over plain data, tested without I/O.
 */

/** What a drill records, its times as ISO strings. */
export type DrillTimings = {
  state: DrillState;
  stateReason: string | null;
  releaseId: string | null;
  version: string | null;
  injectedAt: string | null;
  detectedAt: string | null;
  rollbackDecidedAt: string | null;
  rolledBackAt: string | null;
  healthyAt: string | null;
  notifiedAt: string | null;
  finishedAt: string | null;
};

type CarrierRelease = Pick<
  Release,
  'id' | 'version' | 'phase' | 'startedAt' | 'finishedAt' | 'entityRef'
>;

/**
 * The release that carries a drill's fault: the entity's first release in
 * the drill's environment that started at or after the drill was asked for
 * with a version new to the environment (the provider puts the fault into
 * the next release; a rollback test's restore of the previous version or
 * its roll forward, which run versions seen before, carry none). Releases
 * in any order; ties on the start go to the smaller id.
 */
export function faultCarrier<
  R extends Pick<Release, 'id' | 'startedAt' | 'version'>,
>(requestedAt: string, releases: readonly R[]): R | undefined {
  const from = Date.parse(requestedAt);
  const seen = new Set(
    releases.filter(r => Date.parse(r.startedAt) < from).map(r => r.version),
  );
  return releases
    .filter(r => Date.parse(r.startedAt) >= from && !seen.has(r.version))
    .sort(
      (a, b) =>
        Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
        a.id.localeCompare(b.id),
    )[0];
}

function earliest(times: Array<string | null | undefined>): string | null {
  const present = times.filter((t): t is string => Boolean(t));
  if (!present.length) return null;
  return present.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

function latest(times: Array<string | null | undefined>): string | null {
  const present = times.filter((t): t is string => Boolean(t));
  if (!present.length) return null;
  return present.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

/**
 * A drill's timings from the release that carried its fault (or none yet),
 * that release's analyses and actions, at `now`:
 *
 * - injected: the release started;
 * - detected: its first failing verdict;
 * - rollback decided: the first analysis that decided a rollback, or the
 *   first rollback asked for, whichever came first;
 * - rolled back: the first rollback action that succeeded finished (or,
 *   without one, the provider's own rollback ended the release);
 * - healthy: the provider reported the release rolled back, all traffic on
 *   the previous version (not before the rollback finished);
 * - notified: the engine notifies the owners with the analysis that decides
 *   a rollback or escalates, so its time.
 *
 * A drill with no release after `expireAfterSeconds` expires.
 */
export function measureDrill(input: {
  entityRef: string;
  requestedAt: string;
  release: CarrierRelease | undefined;
  analyses: readonly Pick<Analysis, 'evaluatedAt' | 'verdict' | 'decision'>[];
  actions: readonly Pick<
    ReleaseAction,
    'action' | 'state' | 'requestedAt' | 'finishedAt'
  >[];
  now: string;
  expireAfterSeconds: number;
}): DrillTimings {
  const { release } = input;
  const none: DrillTimings = {
    state: 'waiting',
    stateReason: null,
    releaseId: null,
    version: null,
    injectedAt: null,
    detectedAt: null,
    rollbackDecidedAt: null,
    rolledBackAt: null,
    healthyAt: null,
    notifiedAt: null,
    finishedAt: null,
  };
  if (!release) {
    const waited =
      (Date.parse(input.now) - Date.parse(input.requestedAt)) / 1000;
    if (waited > input.expireAfterSeconds) {
      return {
        ...none,
        state: 'expired',
        stateReason: `No release of ${
          input.entityRef
        } started within ${formatSeconds(
          input.expireAfterSeconds,
        )} of the drill, so none carried its fault`,
        finishedAt: input.now,
      };
    }
    return {
      ...none,
      stateReason: `Waiting for the next release of ${input.entityRef}`,
    };
  }
  const detectedAt = earliest(
    input.analyses.filter(a => a.verdict === 'fail').map(a => a.evaluatedAt),
  );
  const rollbacks = input.actions.filter(a => a.action === 'rollback');
  const rollbackDecidedAt = earliest([
    ...input.analyses
      .filter(a => a.decision === 'rollback')
      .map(a => a.evaluatedAt),
    ...rollbacks.map(a => a.requestedAt),
  ]);
  const notifiedAt = earliest(
    input.analyses
      .filter(a => a.decision === 'rollback' || a.decision === 'escalate')
      .map(a => a.evaluatedAt),
  );
  const actionDone = earliest(
    rollbacks.filter(a => a.state === 'succeeded').map(a => a.finishedAt),
  );
  const rolledBack = release.phase === 'rolled_back';
  const rolledBackAt =
    actionDone ?? (rolledBack ? release.finishedAt ?? null : null);
  const healthyAt = rolledBack
    ? latest([release.finishedAt, rolledBackAt])
    : null;
  const base: DrillTimings = {
    ...none,
    releaseId: release.id,
    version: release.version,
    injectedAt: release.startedAt,
    detectedAt,
    rollbackDecidedAt,
    rolledBackAt,
    healthyAt,
    notifiedAt,
  };
  const name = `${release.version}`;
  switch (release.phase) {
    case 'rolled_back':
      return {
        ...base,
        state: 'recovered',
        stateReason: `${name} was rolled back`,
        finishedAt: healthyAt,
      };
    case 'succeeded':
      return {
        ...base,
        state: 'not_detected',
        stateReason: detectedAt
          ? `${name} failed its analysis but completed without a rollback`
          : `${name} completed with the fault: no analysis failed it`,
        finishedAt: release.finishedAt ?? input.now,
      };
    case 'aborted':
    case 'failed':
      return {
        ...base,
        state: 'failed',
        stateReason: `${name} ${
          release.phase === 'aborted' ? 'was aborted' : 'failed'
        } instead of being rolled back`,
        finishedAt: release.finishedAt ?? input.now,
      };
    default:
      return {
        ...base,
        state: 'running',
        stateReason: `${name} carries the fault (${release.phase})`,
      };
  }
}

/** Seconds between two ISO times, or null when either is missing. */
export function secondsBetween(
  from: string | null,
  to: string | null,
): number | null {
  if (!from || !to) return null;
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

/** What a hypothesis asks that Glidepath can check. */
export type Hypothesis = {
  /** The time to recover it names ("within 2 minutes"), if any. */
  limitSeconds: number | null;
  /** Whether it says the owners are notified. */
  needsNotification: boolean;
};

const UNIT_SECONDS: Array<[RegExp, number]> = [
  [/^(s|secs?|seconds?)$/i, 1],
  [/^(m|mins?|minutes?)$/i, 60],
  [/^(h|hrs?|hours?)$/i, 3600],
];

/**
 * Reads a hypothesis: the first duration it names ("2 minutes", "90 s",
 * "1.5 min") is the time to recover it allows; "notified" or
 * "notification" means the owners must be notified.
 */
export function parseHypothesis(text: string): Hypothesis {
  let limitSeconds: number | null = null;
  const pattern = /(\d+(?:[.,]\d+)?)\s*([a-z]+)/gi;
  for (const match of text.matchAll(pattern)) {
    const unit = UNIT_SECONDS.find(([re]) => re.test(match[2]));
    if (unit) {
      limitSeconds = Number(match[1].replace(',', '.')) * unit[1];
      break;
    }
  }
  return {
    limitSeconds,
    needsNotification: /\bnotif(y|ied|ies|ication)/i.test(text),
  };
}

/** A duration in words: "45 s", "2 min", "1 min 30 s", "1 h 5 min". */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
  }
  const minutes = Math.round((s % 3600) / 60);
  return minutes
    ? `${Math.floor(s / 3600)} h ${minutes} min`
    : `${Math.floor(s / 3600)} h`;
}

/**
 * Whether a hypothesis held for one drill: null while the drill runs, when
 * it never ran, or when the hypothesis names nothing Glidepath can check
 * (the facilitator judges it in the outcome).
 */
export function checkHypothesis(
  hypothesis: Hypothesis,
  drill:
    | (Pick<DrillTimings, 'state' | 'stateReason' | 'injectedAt'> &
        Pick<DrillTimings, 'healthyAt' | 'notifiedAt'>)
    | null,
): HypothesisCheck {
  if (!drill) return { held: null, reasons: ['The drill has not started'] };
  switch (drill.state) {
    case 'waiting':
    case 'running':
      return { held: null, reasons: ['The drill runs'] };
    case 'refused':
    case 'expired':
      return {
        held: null,
        reasons: [`The drill did not run: ${drill.stateReason ?? drill.state}`],
      };
    case 'not_detected':
    case 'failed':
      return {
        held: false,
        reasons: [`Not rolled back: ${drill.stateReason ?? drill.state}`],
      };
    default:
      break;
  }
  if (hypothesis.limitSeconds === null && !hypothesis.needsNotification) {
    return {
      held: null,
      reasons: [
        'The hypothesis names no time to recover and no notification: the facilitator judges it',
      ],
    };
  }
  const reasons: string[] = [];
  let held = true;
  if (hypothesis.limitSeconds !== null) {
    const recover = secondsBetween(drill.injectedAt, drill.healthyAt);
    if (recover === null) {
      held = false;
      reasons.push('No time to recover was recorded');
    } else if (recover <= hypothesis.limitSeconds) {
      reasons.push(
        `Recovered in ${formatSeconds(recover)}, within ${formatSeconds(
          hypothesis.limitSeconds,
        )}`,
      );
    } else {
      held = false;
      reasons.push(
        `Recovered in ${formatSeconds(recover)}, over ${formatSeconds(
          hypothesis.limitSeconds,
        )}`,
      );
    }
  }
  if (hypothesis.needsNotification) {
    if (drill.notifiedAt) {
      const after = secondsBetween(drill.injectedAt, drill.notifiedAt);
      reasons.push(
        `Owners notified ${formatSeconds(after ?? 0)} after the fault started`,
      );
    } else {
      held = false;
      reasons.push('The owners were not notified');
    }
  }
  return { held, reasons };
}

/**
 * A game day's verdict over its faults: false when the hypothesis failed
 * for one, true when it held for every one, else null.
 */
export function gameDayHeld(
  checks: readonly HypothesisCheck[],
): boolean | null {
  if (checks.some(c => c.held === false)) return false;
  if (checks.length && checks.every(c => c.held === true)) return true;
  return null;
}

/** The median of some numbers, or null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
