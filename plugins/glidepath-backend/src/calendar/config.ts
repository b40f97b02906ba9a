import type { Config } from '@backstage/config';
import {
  CalendarScope,
  FreezeWindow,
  freezeWindowProblem,
} from '@glidepath/backstage-plugin-common';

/** The release calendar, `glidepath.calendar`. */
export type CalendarConfig = {
  /**
   * The secret that signs iCalendar feed links (`feeds.secret`); without
   * it, feeds need a Backstage token and calendar apps cannot subscribe.
   */
  feedSecret?: string;
  /** Freeze windows defined in config (`windows`), read-only through the API. */
  windows: FreezeWindow[];
};

/** The shortest secret accepted: 32 characters (e.g. `openssl rand -hex 16`). */
export const MIN_FEED_SECRET_LENGTH = 32;

const CONFIG_ACTOR = {
  kind: 'service' as const,
  ref: 'app-config',
  displayName: 'app-config',
};

function readWindow(config: Config, index: number, at: Date): FreezeWindow {
  const path = `glidepath.calendar.windows[${index}]`;
  const effect = config.getOptionalString('effect') ?? 'deny';
  if (effect !== 'deny' && effect !== 'allow') {
    throw new Error(
      `Invalid config at ${path}.effect: "${effect}" is neither deny nor allow`,
    );
  }
  const scopeConfig = config.getConfig('scope');
  const scope = {
    kind: scopeConfig.getString('kind'),
    ref: scopeConfig.getOptionalString('ref'),
    name: scopeConfig.getOptionalString('name'),
  } as CalendarScope;
  if (
    ![
      'organisation',
      'domain',
      'system',
      'owner',
      'entity',
      'environment',
    ].includes(scope.kind)
  ) {
    throw new Error(
      `Invalid config at ${path}.scope.kind: "${scope.kind}" is not organisation, domain, system, owner, entity or environment`,
    );
  }
  const window: FreezeWindow = {
    id: `config-${index + 1}`,
    title: config.getString('title'),
    effect,
    scope: Object.fromEntries(
      Object.entries(scope).filter(([, v]) => v !== undefined),
    ) as CalendarScope,
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
  const problem = freezeWindowProblem(window);
  if (problem) throw new Error(`Invalid config at ${path}: ${problem}`);
  return window;
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
  return { feedSecret: secret?.trim() || undefined, windows };
}
