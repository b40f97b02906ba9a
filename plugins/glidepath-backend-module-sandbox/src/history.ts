import type {
  HistoryDeployment,
  HistoryIncident,
  ProviderHistory,
} from '@glidepath/backstage-plugin-node';
import { createRandom, fakeSha, normal, Random } from './random';

/**
 * The sandbox's made-up past for DORA: plausible production deployments and
 * incidents of its services over the months before the sandbox began, so
 * that the release analytics have something to show on a first start. A
 * simulation, and labelled so wherever it is shown.
 *
 * It is the same story as the live sandbox: each service's history ends
 * where the sandbox's releases of it begin (the earliest one it reported
 * when it first saw the service), and its versions count up to the version
 * deployed then, whose deployment is the history's last and succeeded.
 * What the sandbox releases from there on is recorded as it happens.
 *
 * Everything is drawn from (seed, service, day) and where the service's
 * history ends, so every reading gives the same history. Each team follows
 * a trend over the six months before that end: `improving` teams deploy
 * more often, with shorter lead times, fewer failures and faster
 * recoveries as the months go by; `worsening` ones the reverse; `steady`
 * ones stay in the middle.
 */

/** How a team's delivery changes over the history. @public */
export type HistoryTrend = 'improving' | 'worsening' | 'steady';

export const HISTORY_TRENDS: readonly HistoryTrend[] = [
  'improving',
  'worsening',
  'steady',
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The span a trend runs over: 26 weeks. */
const TREND_SPAN = 182 * DAY;
/** How long a deployment that succeeded took. */
const DEPLOYMENT_MS = 20 * 60_000;

export type HistoryService = {
  entityRef: string;
  /** The sandbox name (`glidepath.dev/rollout: sandbox:<name>`). */
  name: string;
  /** The owning team's name, for its trend. */
  team: string;
  /**
   * Where the history ends: when the sandbox's releases of the service
   * begin. Every deployment of the history has finished by then.
   */
  endsAt: Date;
  /**
   * The version deployed when the history ends: its last deployment's,
   * which succeeded; the ones before count down from it.
   */
  leadsUpTo: string;
  /**
   * How far patch numbers go before the minor version goes up: 100 for the
   * sandbox's train (its version numbering), 10 for a pinned list.
   */
  patchRadix: number;
};

export type HistoryOptions = {
  seed: string;
  environment: string;
  /** Trend per team name; others get one drawn from the seed. */
  trends: Record<string, HistoryTrend>;
};

/** A team's trend: configured, or drawn from the seed. */
export function trendOf(team: string, options: HistoryOptions): HistoryTrend {
  return (
    options.trends[team] ??
    HISTORY_TRENDS[Math.floor(createRandom(options.seed, team, 'trend')() * 3)]
  );
}

/** Poisson draw (Knuth), fine for the small means used here. */
function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/** A log-normal duration with this median and spread (sigma). */
function logNormal(random: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(random));
}

/** Interpolates on a log scale, from `worst` at quality 0 to `best` at 1. */
function between(worst: number, best: number, quality: number): number {
  return Math.exp(
    Math.log(worst) + (Math.log(best) - Math.log(worst)) * quality,
  );
}

/**
 * The version before `version` when versions count up by one patch at a
 * time, the patch going up to `patchRadix - 1` and the minor to 99 before
 * the next one goes up (a pre-release counts as its release). Undefined
 * before 0.0.0.
 */
export function versionBefore(
  version: string,
  patchRadix: number,
): string | undefined {
  const parts = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!parts) return undefined;
  let [major, minor, patch] = parts.slice(1).map(Number);
  if (patch > 0) patch--;
  else if (minor > 0) {
    minor--;
    patch = patchRadix - 1;
  } else if (major > 0) {
    major--;
    minor = 99;
    patch = patchRadix - 1;
  } else return undefined;
  return `${major}.${minor}.${patch}`;
}

type Draft = { deployment: HistoryDeployment; incident?: HistoryIncident };

/**
 * The history of the services between `from` and `to` (deployments with
 * from <= deployedAt < to, and before each service's `endsAt`; incidents
 * still open at `to` are unresolved).
 */
export function sandboxHistory(
  services: HistoryService[],
  range: { from: Date; to: Date },
  options: HistoryOptions,
): ProviderHistory {
  const deployments: HistoryDeployment[] = [];
  const incidents: HistoryIncident[] = [];
  const to = range.to.getTime();
  const from = range.from.getTime();

  for (const service of services) {
    const end = service.endsAt.getTime();
    const drafts = serviceHistory(service, from, end, to, options);
    // The versions count down from the one deployed when the history
    // ends; the last deployment is the one that put it there.
    drafts.sort(
      (a, b) =>
        b.deployment.deployedAt.getTime() - a.deployment.deployedAt.getTime(),
    );
    let version: string | undefined = service.leadsUpTo;
    for (const [i, draft] of drafts.entries()) {
      // No version left before 0.0.0: the service is younger than that.
      if (version === undefined) break;
      const { deployment, incident } = draft;
      if (deployment.deployedAt.getTime() >= to) {
        version = versionBefore(version, service.patchRadix);
        continue;
      }
      deployment.version = version;
      if (i === 0) {
        deployment.outcome = 'succeeded';
        const finishedAt = deployment.deployedAt.getTime() + DEPLOYMENT_MS;
        deployment.finishedAt = finishedAt < to ? new Date(finishedAt) : null;
      } else if (incident) {
        incidents.push(incident);
      }
      deployments.push(deployment);
      version = versionBefore(version, service.patchRadix);
    }
  }
  deployments.sort(
    (a, b) =>
      a.entityRef.localeCompare(b.entityRef) ||
      a.deployedAt.getTime() - b.deployedAt.getTime(),
  );
  return { deployments, incidents };
}

/**
 * One service's deployments (and their incidents) from `from` until its
 * history ends (`end`), all drawn, also those after `to`, whose versions
 * the ones before depend on.
 */
function serviceHistory(
  service: HistoryService,
  from: number,
  end: number,
  to: number,
  options: HistoryOptions,
): Draft[] {
  const drafts: Draft[] = [];
  // The trend runs over the 26 weeks before the history ends.
  const trendStart = end - TREND_SPAN;
  const trend = trendOf(service.team, options);
  const base = createRandom(options.seed, service.name, 'history');
  // Each service its own pace within its team's trend.
  const pace = 0.6 + base() * 0.9;
  for (let day = Math.floor(from / DAY); day * DAY < end; day++) {
    const dayStart = day * DAY;
    const progress = Math.min(
      1,
      Math.max(0, (dayStart - trendStart) / TREND_SPAN),
    );
    let quality = 0.5;
    if (trend === 'improving') quality = 0.15 + 0.8 * progress;
    if (trend === 'worsening') quality = 0.9 - 0.75 * progress;
    const random = createRandom(options.seed, service.name, day);
    const weekday = new Date(dayStart).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const perDay = pace * between(0.15, 2.5, quality) * (weekend ? 0.1 : 1);
    const count = poisson(random, perDay);
    for (let i = 0; i < count; i++) {
      const deployedAt = dayStart + (8 + random() * 10) * HOUR;
      const id = `${service.name}:${day}:${i}`;
      const lead = logNormal(random, between(6 * DAY, 3 * HOUR, quality), 0.8);
      const failed = random() < 0.03 + 0.32 * (1 - quality);
      const rolledBack = failed && random() < 0.5;
      const recovery = logNormal(
        random,
        rolledBack
          ? between(2 * HOUR, 6 * 60_000, quality)
          : between(30 * HOUR, 40 * 60_000, quality),
        0.7,
      );
      const finishedAt = deployedAt + (rolledBack ? recovery : DEPLOYMENT_MS);
      const commit = fakeSha(random);
      let incident: HistoryIncident | undefined;
      if (failed && !rolledBack) {
        const openedAt = deployedAt + (10 + random() * 300) * 60_000;
        const resolvedAt = openedAt + recovery;
        const title = `${service.name}: ${
          random() < 0.5 ? 'error rate above its SLO' : 'p95 latency degraded'
        }`;
        // Half the pager tools link the deployment; the others leave
        // Glidepath to attribute by the latest release.
        const linked = random() < 0.5;
        // An incident of the history opened before the sandbox began.
        if (openedAt < Math.min(to, end)) {
          incident = {
            id: `${id}:incident`,
            entityRef: service.entityRef,
            title,
            openedAt: new Date(openedAt),
            resolvedAt: resolvedAt < to ? new Date(resolvedAt) : null,
            ...(linked && { deploymentId: id }),
          };
        }
      }
      // Only what had finished when the sandbox began; a day's draws stay
      // the same whatever is left out.
      if (deployedAt < from || deployedAt + DEPLOYMENT_MS > end) continue;
      if (finishedAt > end) continue;
      drafts.push({
        deployment: {
          id,
          entityRef: service.entityRef,
          environment: options.environment,
          version: '',
          deployedAt: new Date(deployedAt),
          firstCommitAt: new Date(deployedAt - lead),
          commit,
          outcome: rolledBack ? 'rolled_back' : 'succeeded',
          finishedAt: finishedAt < to ? new Date(finishedAt) : null,
        },
        incident,
      });
    }
  }
  return drafts;
}
