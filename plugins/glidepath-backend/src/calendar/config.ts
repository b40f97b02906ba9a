import type { Config } from '@backstage/config';
import {
  CalendarScope,
  FreezeWindow,
  freezeWindowProblem,
  releaseTrainProblem,
} from '@glidepath/backstage-plugin-common';
import type { StoredReleaseTrain } from './CalendarStore';

/** The release calendar, `glidepath.calendar`. */
export type CalendarConfig = {
  /**
   * The secret that signs iCalendar feed links (`feeds.secret`); without
   * it, feeds need a Backstage token and calendar apps cannot subscribe.
   */
  feedSecret?: string;
  /** Freeze windows defined in config (`windows`), read-only through the API. */
  windows: FreezeWindow[];
  /** Release trains defined in config (`trains`), read-only through the API. */
  trains: ConfigReleaseTrain[];
};

/** A release train defined in config (`glidepath.calendar.trains`). */
export type ConfigReleaseTrain = StoredReleaseTrain & {
  definedIn: 'app-config';
};

/** The shortest secret accepted: 32 characters (e.g. `openssl rand -hex 16`). */
export const MIN_FEED_SECRET_LENGTH = 32;

const CONFIG_ACTOR = {
  kind: 'service' as const,
  ref: 'app-config',
  displayName: 'app-config',
};

/**
 * A window's or train's `scope` as written (checked with the rest by the
 * API's own checks, kind included).
 */
function readScope(config: Config): CalendarScope {
  const scopeConfig = config.getConfig('scope');
  const scope = {
    kind: scopeConfig.getString('kind'),
    ref: scopeConfig.getOptionalString('ref'),
    name: scopeConfig.getOptionalString('name'),
  };
  return Object.fromEntries(
    Object.entries(scope).filter(([, v]) => v !== undefined),
  ) as CalendarScope;
}

/**
 * Stops startup on what the API would refuse with a 400, naming the field
 * under `path` (the checks say `field: why`).
 */
function check(path: string, problem: string | undefined) {
  if (!problem) return;
  const field = /^([\w.]+): ([\s\S]*)$/.exec(problem);
  throw new Error(
    field
      ? `Invalid config at ${path}.${field[1]}: ${field[2]}`
      : `Invalid config at ${path}: ${problem}`,
  );
}

function readWindow(config: Config, index: number, at: Date): FreezeWindow {
  const path = `glidepath.calendar.windows[${index}]`;
  const effect = config.getOptionalString('effect') ?? 'deny';
  if (effect !== 'deny' && effect !== 'allow') {
    throw new Error(
      `Invalid config at ${path}.effect: "${effect}" is neither deny nor allow`,
    );
  }
  const window: FreezeWindow = {
    id: `config-${index + 1}`,
    title: config.getString('title'),
    effect,
    scope: readScope(config),
    reason: config.getString('reason'),
    timezone: config.getString('timezone'),
    start: config.getString('start'),
    end: config.getOptionalString('end'),
    rrule: config.getOptionalString('rrule'),
    durationMinutes: config.getOptionalNumber('durationMinutes'),
    createdBy: CONFIG_ACTOR,
    createdAt: at.toISOString(),
    definedIn: 'app-config',
  };
  for (const key of ['end', 'rrule', 'durationMinutes'] as const) {
    if (window[key] === undefined) delete window[key];
  }
  check(path, freezeWindowProblem(window));
  return window;
}

/**
 * A train kept in config. Its id, `config-train-<n>`, is neither a stored
 * train's (a UUID) nor a config window's (`config-<n>`).
 */
function readTrain(
  config: Config,
  index: number,
  at: Date,
): ConfigReleaseTrain {
  const path = `glidepath.calendar.trains[${index}]`;
  const train: ConfigReleaseTrain = {
    id: `config-train-${index + 1}`,
    title: config.getString('title'),
    scope: readScope(config),
    timezone: config.getString('timezone'),
    start: config.getString('start'),
    rrule: config.getString('rrule'),
    createdBy: CONFIG_ACTOR,
    createdAt: at.toISOString(),
    definedIn: 'app-config',
  };
  check(path, releaseTrainProblem(train));
  return train;
}

/** Reads `glidepath.calendar` (the root config's). */
export function readCalendarConfig(
  rootConfig: Config,
  now: Date = new Date(),
): CalendarConfig {
  const secret = rootConfig.getOptionalString(
    'glidepath.calendar.feeds.secret',
  );
  if (secret !== undefined && secret.trim().length < MIN_FEED_SECRET_LENGTH) {
    throw new Error(
      `Invalid config at glidepath.calendar.feeds.secret: needs at least ${MIN_FEED_SECRET_LENGTH} characters, so that feed links cannot be guessed (e.g. openssl rand -hex 16)`,
    );
  }
  const windows = (
    rootConfig.getOptionalConfigArray('glidepath.calendar.windows') ?? []
  ).map((config, index) => readWindow(config, index, now));
  const trains = (
    rootConfig.getOptionalConfigArray('glidepath.calendar.trains') ?? []
  ).map((config, index) => readTrain(config, index, now));
  return { feedSecret: secret?.trim() || undefined, windows, trains };
}
