import type { Config } from '@backstage/config';
import {
  invalidConfigValue,
  readConfigDurationMs,
} from '@glidepath/backstage-plugin-node';
import type { SandboxFleetOptions } from './fleet';
import { HISTORY_TRENDS, type HistoryTrend } from './history';

/** The sandbox's settings, read from `glidepath.sandbox`. @public */
export type SandboxConfig = SandboxFleetOptions & {
  /** False turns the sandbox off: no provider is registered. */
  enabled: boolean;
  /** How long the simulated provider takes to perform an action. */
  actionLatencyMs: number;
  /**
   * How long before production a staging target runs each version (see
   * `SandboxRolloutProviderOptions.stagingLeadMs`).
   */
  stagingLeadMs: number;
  /** Canary pauses wait for a promote. */
  awaitPromotion: boolean;
  /** The share of versions whose rollback fails, 0 to 1. */
  rollbackFailureShare: number;
  /** Per service, a share that replaces `rollbackFailureShare`. */
  rollbackFailureShareByService: Record<string, number>;
  /**
   * How long a train leaves a service alone after a release started on
   * request ended (see `SandboxFleetOptions.startedReleaseHoldMs`).
   */
  startedReleaseHoldMs: number;
  /**
   * The made-up DORA history of the months before the sandbox started:
   * whether there is one, and each team's trend (by team name; the others
   * get one drawn from the seed).
   */
  history: { enabled: boolean; trends: Record<string, HistoryTrend> };
};

const PREFIX = 'glidepath.sandbox';

/** The defaults of every `glidepath.sandbox` key. @public */
export const SANDBOX_DEFAULTS: Readonly<SandboxConfig> = {
  enabled: true,
  seed: 'glidepath',
  releaseIntervalMs: 4 * 60_000,
  stepDurationMs: 30_000,
  faultRate: 0.2,
  faultRateByService: {},
  pinnedReleases: {},
  environment: 'production',
  historySize: 10,
  actionLatencyMs: 0,
  stagingLeadMs: 2 * 60_000,
  awaitPromotion: false,
  rollbackFailureShare: 0.1,
  rollbackFailureShareByService: {},
  startedReleaseHoldMs: 60 * 60_000,
  history: { enabled: true, trends: {} },
};

// A semver version without build metadata, as in semver.org's grammar.
// This package does not declare `semver` (a lint error to import it), and
// checking a list of pinned versions needs no more than this.
const NUMBER = '0|[1-9]\\d*';
const IDENTIFIER = `${NUMBER}|\\d*[a-zA-Z-][0-9a-zA-Z-]*`;
const VERSION = new RegExp(
  `^(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-((?:${IDENTIFIER})(?:\\.(?:${IDENTIFIER}))*))?$`,
);

/** Semver precedence of two versions that match `VERSION`: <0, 0 or >0. */
function compareVersions(a: string, b: string): number {
  const [, ...x] = VERSION.exec(a)!;
  const [, ...y] = VERSION.exec(b)!;
  for (let i = 0; i < 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  // A pre-release comes before its release.
  if (x[3] === undefined || y[3] === undefined) {
    return (x[3] === undefined ? 1 : 0) - (y[3] === undefined ? 1 : 0);
  }
  const p = x[3].split('.');
  const q = y[3].split('.');
  for (let i = 0; i < Math.min(p.length, q.length); i++) {
    const pn = /^\d+$/.test(p[i]);
    const qn = /^\d+$/.test(q[i]);
    // Numeric identifiers compare as numbers, and come before the others.
    if (pn && qn) {
      const d = Number(p[i]) - Number(q[i]);
      if (d !== 0) return d;
    } else if (pn !== qn) {
      return pn ? -1 : 1;
    } else if (p[i] !== q[i]) {
      return p[i] < q[i] ? -1 : 1;
    }
  }
  return p.length - q.length;
}

function readPinnedReleases(config: Config): Record<string, string[]> {
  const pinned: Record<string, string[]> = {};
  const byService = config.getOptionalConfig('pinnedReleases');
  for (const service of byService?.keys() ?? []) {
    const key = `${PREFIX}.pinnedReleases.${service}`;
    const versions = byService!.get(service);
    if (!Array.isArray(versions)) {
      throw new Error(
        `${key} must be a list of versions such as ['2.2.0', '2.3.0'], got ${JSON.stringify(
          versions,
        )}`,
      );
    }
    if (versions.length < 2) {
      throw new Error(
        `${key} must list at least two versions: the one deployed before, then each one released, got ${JSON.stringify(
          versions,
        )}`,
      );
    }
    const list: string[] = [];
    for (const version of versions) {
      if (typeof version !== 'string' || !VERSION.test(version)) {
        throw new Error(
          `${key}: ${JSON.stringify(
            version,
          )} is not a semver version such as "2.3.0" or "2.3.0-rc.1"`,
        );
      }
      const before = list[list.length - 1];
      if (before !== undefined && compareVersions(before, version) >= 0) {
        throw new Error(
          `${key}: "${version}" does not follow "${before}": versions must increase`,
        );
      }
      list.push(version);
    }
    pinned[service] = list;
  }
  return pinned;
}

function isShare(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= 1
  );
}

/** A number from 0 to 1 at `key`, if given. */
function readShare(config: Config, key: string): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value !== undefined && !isShare(value)) {
    throw invalidConfigValue(PREFIX, key, 'a number from 0 to 1', value);
  }
  return value;
}

/** Per service name, a number from 0 to 1 at `key`. */
function readShareByService(
  config: Config,
  key: string,
): Record<string, number> {
  const shares: Record<string, number> = {};
  const byService = config.getOptionalConfig(key);
  for (const service of byService?.keys() ?? []) {
    const share = byService!.get(service);
    if (!isShare(share)) {
      throw invalidConfigValue(
        PREFIX,
        `${key}.${service}`,
        'a number from 0 to 1',
        share,
      );
    }
    shares[service] = share;
  }
  return shares;
}

function readText(config: Config, key: string, fallback: string): string {
  const value = config.getOptionalString(key);
  if (value === undefined) return fallback;
  if (!value.trim()) {
    throw invalidConfigValue(PREFIX, key, 'a non-empty string', value);
  }
  return value.trim();
}

/**
 * Reads and checks `glidepath.sandbox`. Every key is optional; a bad value
 * fails with a message that names the key and the value.
 * @public
 */
export function readSandboxConfig(root: Config): SandboxConfig {
  const config = root.getOptionalConfig(PREFIX);
  if (!config) {
    return {
      ...SANDBOX_DEFAULTS,
      faultRateByService: {},
      pinnedReleases: {},
      rollbackFailureShareByService: {},
      history: { enabled: true, trends: {} },
    };
  }

  const enabled = config.getOptionalBoolean('enabled') ?? true;
  const awaitPromotion =
    config.getOptionalBoolean('awaitPromotion') ??
    SANDBOX_DEFAULTS.awaitPromotion;

  const faultRate = readShare(config, 'faultRate');
  const faultRateByService = readShareByService(config, 'faultRateByService');
  const rollbackFailureShare = readShare(config, 'rollbackFailureShare');

  const historySize = config.getOptionalNumber('historySize');
  if (
    historySize !== undefined &&
    !(Number.isInteger(historySize) && historySize >= 1 && historySize <= 1000)
  ) {
    throw invalidConfigValue(
      PREFIX,
      'historySize',
      'a whole number from 1 to 1000',
      historySize,
    );
  }

  const releaseIntervalMs = readConfigDurationMs(config, 'releaseInterval', {
    prefix: PREFIX,
    fallbackMs: SANDBOX_DEFAULTS.releaseIntervalMs,
    minMs: 1000,
  });
  return {
    enabled,
    seed: readText(config, 'seed', SANDBOX_DEFAULTS.seed),
    releaseIntervalMs,
    stepDurationMs: readConfigDurationMs(config, 'stepDuration', {
      prefix: PREFIX,
      fallbackMs: SANDBOX_DEFAULTS.stepDurationMs,
      minMs: 1000,
    }),
    faultRate: faultRate ?? SANDBOX_DEFAULTS.faultRate,
    faultRateByService,
    pinnedReleases: readPinnedReleases(config),
    environment: readText(config, 'environment', SANDBOX_DEFAULTS.environment),
    historySize: historySize ?? SANDBOX_DEFAULTS.historySize,
    actionLatencyMs: readConfigDurationMs(config, 'actionLatency', {
      prefix: PREFIX,
      fallbackMs: SANDBOX_DEFAULTS.actionLatencyMs,
      minMs: 0,
    }),
    // Half the release interval: a staging release of the default canary
    // ends about when production's of the same version starts.
    stagingLeadMs: readConfigDurationMs(config, 'stagingLead', {
      prefix: PREFIX,
      fallbackMs: Math.floor(releaseIntervalMs / 2),
      minMs: 0,
    }),
    awaitPromotion,
    rollbackFailureShare:
      rollbackFailureShare ?? SANDBOX_DEFAULTS.rollbackFailureShare,
    rollbackFailureShareByService: readShareByService(
      config,
      'rollbackFailureShareByService',
    ),
    startedReleaseHoldMs: readConfigDurationMs(config, 'startedReleaseHold', {
      prefix: PREFIX,
      fallbackMs: SANDBOX_DEFAULTS.startedReleaseHoldMs,
      minMs: 0,
    }),
    history: readHistory(config),
  };
}

function readHistory(config: Config): SandboxConfig['history'] {
  const history = config.getOptionalConfig('history');
  const trends: Record<string, HistoryTrend> = {};
  const byTeam = history?.getOptionalConfig('trends');
  for (const team of byTeam?.keys() ?? []) {
    const trend = byTeam!.get(team);
    if (!HISTORY_TRENDS.includes(trend as HistoryTrend)) {
      throw invalidConfigValue(
        PREFIX,
        `history.trends.${team}`,
        HISTORY_TRENDS.join(', '),
        trend,
      );
    }
    trends[team] = trend as HistoryTrend;
  }
  return { enabled: history?.getOptionalBoolean('enabled') ?? true, trends };
}
