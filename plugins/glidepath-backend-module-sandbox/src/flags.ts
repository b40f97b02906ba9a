import type {
  ObservedFlag,
  ObservedFlagEnvironment,
} from '@glidepath/backstage-plugin-node';
import { createRandom, type Random } from './random';

/*
 * The sandbox's made-up feature flags: for each ref of
 * `glidepath.dev/flags: sandbox:<ref>`, a handful of flags of every type
 * with plausible ages (counted from when the sandbox first saw the ref, so
 * they age as days pass), some rolling out, some launched, some forgotten.
 * Everything follows from the seed, the ref and the time.
 */

const DAY = 24 * 60 * 60 * 1000;

/** The environments every sandbox flag has, in order. */
export const SANDBOX_FLAG_ENVIRONMENTS = [
  { environment: 'development', type: 'development' },
  { environment: 'staging', type: 'development' },
  { environment: 'production', type: 'production' },
] as const;

const FEATURES = [
  'new-checkout-flow',
  'one-click-reorder',
  'dark-mode',
  'express-shipping-banner',
  'saved-carts',
  'smart-search-ranking',
  'async-price-refresh',
  'gift-wrap-option',
  'split-payments',
  'recommendations-v2',
  'lazy-image-loading',
  'address-autocomplete',
  'loyalty-points',
  'redesigned-header',
  'bulk-order-upload',
  'wishlist-sharing',
];

const OPERATIONS = [
  'read-replica-routing',
  'cache-warmup',
  'batch-size-tuning',
  'verbose-tracing',
];
const KILL_SWITCHES = [
  'disable-recommendations',
  'disable-third-party-fraud-check',
  'payments-circuit-breaker',
];
const PERMISSIONS = ['beta-testers', 'internal-staff-tools'];

const PEOPLE = [
  'ana.souza@example.com',
  'ben.okafor@example.com',
  'chloe.martin@example.com',
  'dev.patel@example.com',
  'eva.lindqvist@example.com',
];

/** Each type's names and ages in days (from, to) when first seen. */
const KINDS: Record<
  string,
  { names: readonly string[]; ageDays: [number, number] }
> = {
  release: { names: FEATURES, ageDays: [1, 80] },
  experiment: { names: FEATURES, ageDays: [1, 80] },
  operational: { names: OPERATIONS, ageDays: [0.5, 12] },
  'kill-switch': { names: KILL_SWITCHES, ageDays: [60, 500] },
  permission: { names: PERMISSIONS, ageDays: [30, 400] },
};

/** How a sandbox flag serves: the shapes real flags take. */
export type SandboxFlagPattern =
  | 'rolling-out'
  | 'launched'
  | 'off'
  | 'testing'
  | 'forgotten';

/** The lifecycle stage (as Unleash names them) of each pattern. */
const LIFECYCLE: Record<SandboxFlagPattern, string> = {
  'rolling-out': 'live',
  launched: 'completed',
  forgotten: 'completed',
  off: 'pre-live',
  testing: 'pre-live',
};

/** A sandbox flag with what it was made from. */
export type SandboxFlag = ObservedFlag & { pattern: SandboxFlagPattern };

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function between(random: Random, min: number, max: number): number {
  return min + random() * (max - min);
}

function weighted<T extends string>(
  random: Random,
  weights: Array<[T, number]>,
): T {
  let draw = random() * weights.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of weights) {
    draw -= weight;
    if (draw < 0) return value;
  }
  return weights[weights.length - 1][0];
}

/** The ref's project (the part before `?`) and its `tags` filter. */
export function readSandboxFlagRef(ref: string): {
  project: string;
  tags: string[];
} {
  const [project, query = ''] = ref.split('?', 2);
  const tags = new URLSearchParams(query).getAll('tags').filter(Boolean);
  return { project, tags };
}

function environments(
  pattern: SandboxFlagPattern,
  random: Random,
  createdAt: Date,
  now: Date,
): ObservedFlagEnvironment[] {
  const age = now.getTime() - createdAt.getTime();
  // Evaluated a few minutes ago, or, for a forgotten flag, weeks ago.
  const lastSeen =
    pattern === 'forgotten'
      ? new Date(
          createdAt.getTime() +
            Math.max(0, age - between(random, 35, 80) * DAY),
        )
      : new Date(now.getTime() - between(random, 1, 15) * 60_000);
  const launchedAt = new Date(
    createdAt.getTime() + Math.min(age, between(random, 3, 20) * DAY),
  );
  const rollout = pick(random, [10, 25, 50]);
  return SANDBOX_FLAG_ENVIRONMENTS.map(({ environment, type }) => {
    const production = environment === 'production';
    const base = { environment, type, lastEvaluatedAt: lastSeen };
    switch (pattern) {
      case 'launched':
      case 'forgotten':
        return {
          ...base,
          enabled: true,
          servesEveryone: 'true',
          servingSince: launchedAt,
          summary: 'on for everyone',
        };
      case 'off':
        return {
          ...base,
          enabled: false,
          servesEveryone: 'false',
          servingSince: createdAt,
          summary: 'off',
        };
      case 'testing':
        return production
          ? {
              ...base,
              enabled: false,
              servesEveryone: 'false',
              servingSince: createdAt,
              summary: 'off',
            }
          : {
              ...base,
              enabled: true,
              servesEveryone: 'true',
              servingSince: createdAt,
              summary: 'on for everyone',
            };
      case 'rolling-out':
      default:
        return production
          ? {
              ...base,
              enabled: true,
              summary: `on for ${rollout}% (gradual rollout)`,
            }
          : {
              ...base,
              enabled: true,
              servesEveryone: 'true',
              servingSince: createdAt,
              summary: 'on for everyone',
            };
    }
  });
}

/**
 * The flags of one ref at `now`, given when the sandbox first saw it:
 * 5 to 8 flags that existed then, and a new release flag every 9 days since
 * (at most 20), all deterministic from the seed and the ref.
 */
export function sandboxFlags(options: {
  seed: string;
  ref: string;
  firstSeen: Date;
  now: Date;
}): SandboxFlag[] {
  const { seed, ref, firstSeen, now } = options;
  const { project, tags } = readSandboxFlagRef(ref);
  const random = createRandom(seed, 'flags', ref);
  const count = 5 + Math.floor(random() * 4);
  const names = new Set<string>();
  const flags: SandboxFlag[] = [];

  const make = (
    type: string,
    name: string,
    createdAt: Date,
    pattern: SandboxFlagPattern,
    draw: Random,
  ) => {
    let unique = name;
    for (let n = 2; names.has(unique); n++) unique = `${name}-${n}`;
    names.add(unique);
    const ownTags = tags.length
      ? tags
      : [`simple:${project.split('-')[0] || project}`];
    flags.push({
      key: `${project}/${unique}`,
      name: unique,
      project,
      description: `Simulated ${type} flag of ${project}`,
      type,
      createdAt,
      createdBy: pick(draw, PEOPLE),
      environments: environments(pattern, draw, createdAt, now),
      lifecycle: LIFECYCLE[pattern],
      tags: ownTags,
      archived: false,
      pattern,
    });
  };

  for (let i = 0; i < count; i++) {
    const draw = createRandom(seed, 'flags', ref, i);
    const type = weighted(draw, [
      ['release', 45],
      ['experiment', 20],
      ['operational', 13],
      ['kill-switch', 12],
      ['permission', 10],
    ]);
    const kind = KINDS[type];
    const name = pick(draw, kind.names);
    const ageDays = between(draw, kind.ageDays[0], kind.ageDays[1]);
    const pattern = weighted<SandboxFlagPattern>(draw, [
      ['rolling-out', 30],
      ['launched', 30],
      ['off', 10],
      ['testing', 15],
      ['forgotten', 15],
    ]);
    make(
      type,
      name,
      new Date(firstSeen.getTime() - ageDays * DAY),
      pattern,
      draw,
    );
  }

  const since = Math.floor((now.getTime() - firstSeen.getTime()) / (9 * DAY));
  for (let k = 1; k <= Math.min(since, 20); k++) {
    const draw = createRandom(seed, 'flags', ref, 'new', k);
    make(
      'release',
      pick(draw, FEATURES),
      new Date(firstSeen.getTime() + k * 9 * DAY),
      'rolling-out',
      draw,
    );
  }
  return flags;
}
