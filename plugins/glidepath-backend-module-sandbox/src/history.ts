import type {
  HistoryDeployment,
  HistoryIncident,
  ProviderHistory,
} from '@glidepath/backstage-plugin-node';
import { createRandom, fakeSha, normal, Random } from './random';

/**
 * The sandbox's made-up past for DORA: plausible production deployments and
 * incidents of its services over the months before it started, so that the
 * release analytics have something to show on a first start. A simulation,
 * and labelled so wherever it is shown.
 *
 * Everything is drawn from (seed, service, day) and the week it is read in,
 * so the same seed gives the same history all week (Glidepath replaces a
 * provider's history with its latest reading, so the next week's redraw
 * replaces this one). Each team follows a trend over the six months that
 * end on the Monday of the week the history is read in: `improving` teams
 * deploy more often, with shorter lead times, fewer failures and faster
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
const MONDAY_OFFSET = 4 * DAY; // 1970-01-01 was a Thursday

export type HistoryService = {
  entityRef: string;
  /** The sandbox name (`glidepath.dev/rollout: sandbox:<name>`). */
  name: string;
  /** The owning team's name, for its trend. */
  team: string;
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
 * The history of the services between `from` and `to` (deployments with
 * from <= deployedAt < to; incidents still open at `to` are unresolved).
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
  // The trend runs over the 26 weeks before this week's Monday.
  const trendEnd =
    Math.floor((to - MONDAY_OFFSET) / (7 * DAY)) * 7 * DAY + MONDAY_OFFSET;
  const trendStart = trendEnd - TREND_SPAN;

  for (const service of services) {
    const trend = trendOf(service.team, options);
    const base = createRandom(options.seed, service.name, 'history');
    // Each service its own pace within its team's trend.
    const pace = 0.6 + base() * 0.9;
    for (let day = Math.floor(from / DAY); day * DAY < to; day++) {
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
        if (deployedAt < from || deployedAt >= to) continue;
        const id = `${service.name}:${day}:${i}`;
        const lead = logNormal(
          random,
          between(6 * DAY, 3 * HOUR, quality),
          0.8,
        );
        const failed = random() < 0.03 + 0.32 * (1 - quality);
        const rolledBack = failed && random() < 0.5;
        const recovery = logNormal(
          random,
          rolledBack
            ? between(2 * HOUR, 6 * 60_000, quality)
            : between(30 * HOUR, 40 * 60_000, quality),
          0.7,
        );
        const finishedAt = deployedAt + (rolledBack ? recovery : 20 * 60_000);
        deployments.push({
          id,
          entityRef: service.entityRef,
          environment: options.environment,
          version: `1.${day - 20000}.${i}`,
          deployedAt: new Date(deployedAt),
          firstCommitAt: new Date(deployedAt - lead),
          commit: fakeSha(random),
          outcome: rolledBack ? 'rolled_back' : 'succeeded',
          finishedAt: finishedAt < to ? new Date(finishedAt) : null,
        });
        if (failed && !rolledBack) {
          const openedAt = deployedAt + (10 + random() * 300) * 60_000;
          if (openedAt >= to) continue;
          const resolvedAt = openedAt + recovery;
          incidents.push({
            id: `${id}:incident`,
            entityRef: service.entityRef,
            title: `${service.name}: ${
              random() < 0.5
                ? 'error rate above its SLO'
                : 'p95 latency degraded'
            }`,
            openedAt: new Date(openedAt),
            resolvedAt: resolvedAt < to ? new Date(resolvedAt) : null,
            // Half the pager tools link the deployment; the others leave
            // Glidepath to attribute by the latest release.
            ...(random() < 0.5 && { deploymentId: id }),
          });
        }
      }
    }
  }
  return { deployments, incidents };
}
