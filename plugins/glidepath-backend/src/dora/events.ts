import { InputError } from '@backstage/errors';
import type { DeploymentOutcome } from '@glidepath/backstage-plugin-common';
import type { HistoryDeployment } from '@glidepath/backstage-plugin-node';
import { parseEntityRefText } from '../shared/refs';
import {
  DEPLOYMENT_STRATEGIES,
  DeploymentStrategy,
} from '../releaseMetrics/measures';

/**
 * The events other tools post to /events/deployments and /events/incidents,
 * checked field by field: each problem names the field (with its index in a
 * batch) and what is wrong with it, and a batch with any problem is refused
 * as a whole, so nothing is half stored. What is stored but not as sent (a
 * first commit after the deployment: no lead time) is a warning on that
 * event, and the batch counts.
 */

/** The most events one request may carry. */
export const MAX_EVENTS_PER_REQUEST = 1000;

/**
 * The earliest timestamp an event may carry (1970-01-01): anything before
 * is a sender's bug (year 0000, a zero date), and PostgreSQL cannot store
 * some of them.
 */
export const EARLIEST_EVENT_TIME = Date.UTC(1970, 0, 1);

/** How far in the future a timestamp may be (clock skew), in ms. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const RFC3339 =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const EVENT_ID = /^[\x21-\x7e]{1,200}$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z._+\-/:]{0,127}$/;
const COMMIT = /^[0-9a-f]{7,64}$/i;
const ENVIRONMENT = /^[0-9A-Za-z][0-9A-Za-z._\-/]{0,62}$/;
const OUTCOMES: DeploymentOutcome[] = [
  'succeeded',
  'failed',
  'rolled_back',
  'aborted',
];

/**
 * A deployment as received, checked and normalised: what a provider's
 * history reports of one (`HistoryDeployment`), and a link to it.
 */
export interface DeploymentEvent extends HistoryDeployment {
  url: string | null;
  /**
   * How it went out, when the sender or the release says (canary,
   * blue_green, rolling, recreate); null or absent when unknown.
   */
  strategy?: DeploymentStrategy | null;
}

/**
 * An incident event: a create (entityRef and openedAt), a resolve
 * (resolvedAt), or both. Fields left out keep what is stored; `resolvedAt:
 * null` reopens.
 */
export interface IncidentEvent {
  id: string;
  entityRef?: string;
  openedAt?: Date;
  resolvedAt?: Date | null;
  title?: string;
  severity?: string;
  url?: string;
  deploymentId?: string;
  version?: string;
}

type Fields = Record<string, unknown>;

class Problems {
  readonly list: string[] = [];
  readonly warnings: EventWarning[] = [];
  constructor(private readonly prefix: string) {}
  add(field: string, message: string) {
    this.list.push(`${this.prefix}${field}: ${message}`);
  }
  warn(field: string, message: string) {
    this.warnings.push({ field, message });
  }
}

/** What was stored of an event, but not as it was sent. */
export type EventWarning = { field: string; message: string };

/** Checked events, and the warnings of each (in the same order). */
export type CheckedEvents<T> = { events: T[]; warnings: EventWarning[][] };

/** The events of a request body: one event, or `{ "events": [...] }`. */
export function eventsOf(body: unknown): { events: unknown[]; batch: boolean } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError(
      'The body must be one event object or { "events": [ ... ] }',
    );
  }
  const events = (body as Fields).events;
  if (events === undefined) return { events: [body], batch: false };
  if (!Array.isArray(events)) {
    throw new InputError('events: must be an array of events');
  }
  if (events.length === 0) throw new InputError('events: must not be empty');
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    throw new InputError(
      `events: at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${events.length}`,
    );
  }
  return { events, batch: true };
}

function text(
  fields: Fields,
  field: string,
  problems: Problems,
  options: {
    required?: boolean;
    pattern?: RegExp;
    hint?: string;
    max?: number;
  },
): string | undefined {
  const value = fields[field];
  if (value === undefined || value === null) {
    if (options.required) problems.add(field, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.add(field, `must be a string, got ${typeof value}`);
    return undefined;
  }
  const trimmed = value.trim();
  if (!trimmed) {
    problems.add(field, 'must not be blank');
    return undefined;
  }
  if (options.max && trimmed.length > options.max) {
    problems.add(field, `must be at most ${options.max} characters`);
    return undefined;
  }
  if (options.pattern && !options.pattern.test(trimmed)) {
    problems.add(field, `"${clip(trimmed)}" ${options.hint}`);
    return undefined;
  }
  return trimmed;
}

function clip(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

function time(
  fields: Fields,
  field: string,
  problems: Problems,
  now: number,
  required = false,
): Date | undefined {
  const value = text(fields, field, problems, {
    required,
    pattern: RFC3339,
    hint: 'is not an RFC 3339 date-time with a time zone (e.g. 2026-11-28T09:30:00Z)',
  });
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !isCalendarDate(value)) {
    problems.add(field, `"${value}" is not a valid date-time`);
    return undefined;
  }
  if (date.getTime() < EARLIEST_EVENT_TIME) {
    problems.add(field, `${value} is before 1970-01-01`);
    return undefined;
  }
  if (date.getTime() > now + MAX_CLOCK_SKEW_MS) {
    problems.add(field, `${value} is in the future`);
    return undefined;
  }
  return date;
}

/** Whether the date part names a real day (JS rolls 30 February over). */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

function entityRefOf(
  fields: Fields,
  problems: Problems,
  required: boolean,
): string | undefined {
  const value = text(fields, 'entityRef', problems, { required, max: 255 });
  if (value === undefined) return undefined;
  try {
    // Read as every other ref the API takes: a malformed one is refused,
    // not stored as an entity the catalog will never know.
    return parseEntityRefText(value, 'component');
  } catch (error) {
    problems.add(
      'entityRef',
      `"${clip(value)}" is not an entity reference (${
        (error as Error).message
      })`,
    );
    return undefined;
  }
}

function unknownFields(fields: Fields, known: string[], problems: Problems) {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) problems.add(key, 'is not a known field');
  }
}

function asFields(value: unknown, problems: Problems): Fields | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.add('', 'must be an object');
    return undefined;
  }
  return value as Fields;
}

const DEPLOYMENT_FIELDS = [
  'id',
  'entityRef',
  'environment',
  'version',
  'deployedAt',
  'firstCommitAt',
  'commit',
  'outcome',
  'finishedAt',
  'url',
  'strategy',
];

/** Checks one deployment event; `where` prefixes its problems. */
function checkDeployment(
  value: unknown,
  where: string,
  now: number,
): Checked<DeploymentEvent> {
  const problems = new Problems(where);
  const fields = asFields(value, problems);
  if (!fields) return { problems: problems.list };
  unknownFields(fields, DEPLOYMENT_FIELDS, problems);
  const id = text(fields, 'id', problems, {
    required: true,
    pattern: EVENT_ID,
    hint: 'must be 1 to 200 printable characters without spaces',
  });
  const entityRef = entityRefOf(fields, problems, true);
  const environment = text(fields, 'environment', problems, {
    required: true,
    pattern: ENVIRONMENT,
    hint: 'must be a name of letters, digits, ".", "_", "-" or "/"',
  });
  const version = text(fields, 'version', problems, {
    required: true,
    pattern: VERSION,
    hint: 'is not a version (letters, digits, ".", "_", "+", "-", "/", ":"; no spaces; at most 128)',
  });
  const deployedAt = time(fields, 'deployedAt', problems, now, true);
  const firstCommitAt = time(fields, 'firstCommitAt', problems, now);
  const finishedAt = time(fields, 'finishedAt', problems, now);
  const commit = text(fields, 'commit', problems, {
    pattern: COMMIT,
    hint: 'is not a commit hash (7 to 64 hex digits)',
  });
  const outcomeText = text(fields, 'outcome', problems, {});
  let outcome: DeploymentOutcome = 'succeeded';
  if (outcomeText !== undefined) {
    if (OUTCOMES.includes(outcomeText as DeploymentOutcome)) {
      outcome = outcomeText as DeploymentOutcome;
    } else {
      problems.add(
        'outcome',
        `"${clip(outcomeText)}" must be one of ${OUTCOMES.join(', ')}`,
      );
    }
  }
  const url = text(fields, 'url', problems, {
    pattern: /^https?:\/\/\S+$/,
    hint: 'must be an http(s) URL',
    max: 2000,
  });
  const strategyText = text(fields, 'strategy', problems, {});
  let strategy: DeploymentStrategy | null = null;
  if (strategyText !== undefined) {
    if (DEPLOYMENT_STRATEGIES.includes(strategyText as DeploymentStrategy)) {
      strategy = strategyText as DeploymentStrategy;
    } else {
      problems.add(
        'strategy',
        `"${clip(strategyText)}" must be one of ${DEPLOYMENT_STRATEGIES.join(
          ', ',
        )} (or left out when unknown)`,
      );
    }
  }
  if (deployedAt && firstCommitAt && firstCommitAt > deployedAt) {
    // Clocks of different systems (or a wrong value): the deployment still
    // happened and counts for everything but its lead time.
    problems.warn(
      'firstCommitAt',
      `${firstCommitAt.toISOString()} is after deployedAt ${deployedAt.toISOString()} (clock skew?): stored, with no lead time`,
    );
  }
  if (deployedAt && finishedAt && finishedAt < deployedAt) {
    problems.add('finishedAt', 'must not be before deployedAt');
  }
  if (problems.list.length) return { problems: problems.list };
  return {
    warnings: problems.warnings,
    event: {
      id: id!,
      entityRef: entityRef!,
      environment: environment!,
      version: version!,
      deployedAt: deployedAt!,
      firstCommitAt: firstCommitAt ?? null,
      commit: commit?.toLowerCase() ?? null,
      outcome,
      finishedAt: finishedAt ?? null,
      url: url ?? null,
      ...(strategy ? { strategy } : {}),
    },
    problems: [],
  };
}

const INCIDENT_FIELDS = [
  'id',
  'entityRef',
  'openedAt',
  'resolvedAt',
  'title',
  'severity',
  'url',
  'deploymentId',
  'version',
];

function checkIncident(
  value: unknown,
  where: string,
  now: number,
): Checked<IncidentEvent> {
  const problems = new Problems(where);
  const fields = asFields(value, problems);
  if (!fields) return { problems: problems.list };
  unknownFields(fields, INCIDENT_FIELDS, problems);
  const id = text(fields, 'id', problems, {
    required: true,
    pattern: EVENT_ID,
    hint: 'must be 1 to 200 printable characters without spaces',
  });
  const entityRef = entityRefOf(fields, problems, false);
  const openedAt = time(fields, 'openedAt', problems, now);
  const resolvedAt = time(fields, 'resolvedAt', problems, now);
  const title = text(fields, 'title', problems, { max: 500 });
  const severity = text(fields, 'severity', problems, { max: 50 });
  const url = text(fields, 'url', problems, {
    pattern: /^https?:\/\/\S+$/,
    hint: 'must be an http(s) URL',
    max: 2000,
  });
  const deploymentId = text(fields, 'deploymentId', problems, {
    pattern: EVENT_ID,
    hint: 'must be 1 to 200 printable characters without spaces',
  });
  const version = text(fields, 'version', problems, {
    pattern: VERSION,
    hint: 'is not a version (letters, digits, ".", "_", "+", "-", "/", ":"; no spaces; at most 128)',
  });
  if (openedAt && !entityRef && !('entityRef' in fields)) {
    problems.add('entityRef', 'is required when openedAt is given');
  }
  if (entityRef && !openedAt && !('openedAt' in fields)) {
    problems.add('openedAt', 'is required when entityRef is given');
  }
  if (openedAt && resolvedAt && resolvedAt < openedAt) {
    problems.add('resolvedAt', 'must not be before openedAt');
  }
  if (!openedAt && !('resolvedAt' in fields) && problems.list.length === 0) {
    problems.add(
      'openedAt',
      'an incident event opens (entityRef and openedAt), resolves (resolvedAt) or both',
    );
  }
  if (problems.list.length) return { problems: problems.list };
  const event: IncidentEvent = { id: id! };
  if (entityRef) event.entityRef = entityRef;
  if (openedAt) event.openedAt = openedAt;
  if ('resolvedAt' in fields) event.resolvedAt = resolvedAt ?? null;
  if (title) event.title = title;
  if (severity) event.severity = severity;
  if (url) event.url = url;
  if (deploymentId) event.deploymentId = deploymentId;
  if (version) event.version = version;
  return { event, problems: [] };
}

/** One event checked: the event, or the problems that refuse it. */
type Checked<T> = {
  event?: T;
  problems: string[];
  warnings?: EventWarning[];
};

function checkAll<T extends { id: string }>(
  body: unknown,
  check: (value: unknown, where: string, now: number) => Checked<T>,
  now: number,
): CheckedEvents<T> {
  const { events, batch } = eventsOf(body);
  const problems: string[] = [];
  const checked: T[] = [];
  const warnings: EventWarning[][] = [];
  const seen = new Set<string>();
  events.forEach((value, index) => {
    const where = batch ? `events[${index}].` : '';
    const result = check(value, where, now);
    problems.push(...result.problems);
    if (result.event) {
      const id = result.event.id;
      if (seen.has(id)) {
        problems.push(`${where}id: "${id}" appears twice in this request`);
      }
      seen.add(id);
      checked.push(result.event);
      warnings.push(result.warnings ?? []);
    }
  });
  if (problems.length) {
    const shown = problems.slice(0, 20);
    const more =
      problems.length > shown.length
        ? ` (and ${problems.length - shown.length} more)`
        : '';
    throw new InputError(`${shown.join('; ')}${more}`);
  }
  return { events: checked, warnings };
}

/**
 * The deployment events of a request body with their warnings, or an
 * InputError naming every bad field.
 */
export function checkDeploymentEvents(
  body: unknown,
  now: number,
): CheckedEvents<DeploymentEvent> {
  return checkAll(body, checkDeployment, now);
}

/** The deployment events of a request body, or an InputError naming every bad field. */
export function parseDeploymentEvents(
  body: unknown,
  now: number,
): DeploymentEvent[] {
  return checkDeploymentEvents(body, now).events;
}

/** The incident events of a request body, or an InputError naming every bad field. */
export function parseIncidentEvents(
  body: unknown,
  now: number,
): IncidentEvent[] {
  return checkAll(body, checkIncident, now).events;
}
