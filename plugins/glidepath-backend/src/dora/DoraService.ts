import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  aggregateFacts,
  computeDora,
  DeploymentFacts,
  doraReportOf,
  DoraBucket,
  DoraQuery,
  DoraReport,
  normalizeEntityRef,
} from '@glidepath/backstage-plugin-common';
import { quote } from '../shared/badInput';
import { entityKey, parseRefParameter } from '../shared/refs';
import { EARLIEST_EVENT_TIME } from './events';
import type { DoraStore, StoredFailure } from './DoraStore';

const DAY_MS = 86_400_000;
/** The default period of a DORA query: 26 weeks, six months. */
export const DEFAULT_DORA_PERIOD_DAYS = 182;
/** The longest period a DORA query may ask for. */
export const MAX_DORA_PERIOD_DAYS = 731;

/** Which entities a DORA answer covers. */
export type DoraScope = {
  type: 'entity' | 'owner' | 'system' | 'all';
  ref: string | null;
  /** The entities in scope; null for all (every deployment counts). */
  entityRefs: string[] | null;
};

/** One row of a breakdown: a team or a service, with its measures. */
export type DoraGroup = {
  ref: string;
  title: string | null;
  entities: number;
  summary: DoraReport['summary'];
};

/** The answer to a DORA query. */
export type DoraAnswer = {
  scope: { type: DoraScope['type']; ref: string | null };
  report: DoraReport;
  failures: StoredFailure[];
  groups?: DoraGroup[];
  unmatchedEvents: number;
  simulatedDeployments: number;
};

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'relations',
];

function parseTime(value: string | undefined, field: string): number | null {
  if (value === undefined || value === '') return null;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) {
    throw new InputError(
      `${field} ${quote(
        value,
      )} is not a date or date-time (e.g. 2026-06-01 or 2026-06-01T00:00:00Z)`,
    );
  }
  if (time < EARLIEST_EVENT_TIME) {
    throw new InputError(`${field} ${quote(value)} is before 1970-01-01`);
  }
  return time;
}

/**
 * The period [from, to) of a query in epoch ms: `to` defaults to now,
 * `from` to 182 days before `to`; at most 731 days. An InputError names a
 * bad date or period.
 */
export function doraPeriod(
  query: { from?: string; to?: string },
  now: number,
): { from: number; to: number } {
  const to = parseTime(query.to, 'to') ?? now;
  const from =
    parseTime(query.from, 'from') ?? to - DEFAULT_DORA_PERIOD_DAYS * DAY_MS;
  if (from >= to) {
    throw new InputError(
      `from (${new Date(from).toISOString()}) must be before to (${new Date(
        to,
      ).toISOString()})`,
    );
  }
  if (to - from > MAX_DORA_PERIOD_DAYS * DAY_MS) {
    throw new InputError(
      `The period may be at most ${MAX_DORA_PERIOD_DAYS} days, not ${Math.ceil(
        (to - from) / DAY_MS,
      )}`,
    );
  }
  return { from, to };
}

/**
 * DORA's measures out: a scope's report, its failures and its breakdown by
 * owner or entity. The catalog is read with the caller's credentials. Events
 * come in through {@link DoraIngestion}.
 */
export class DoraService {
  constructor(
    private readonly deps: {
      store: DoraStore;
      catalog: CatalogService;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** The entities a query covers, read with the caller's credentials. */
  async resolveScope(
    query: DoraQuery,
    credentials: BackstageCredentials,
  ): Promise<DoraScope> {
    const given = (['entity', 'owner', 'system'] as const).filter(
      key => query[key] !== undefined && query[key] !== '',
    );
    if (given.length > 1) {
      throw new InputError(
        `Give at most one of entity, owner and system, not ${given.join(
          ' and ',
        )}`,
      );
    }
    if (given.length === 0) return { type: 'all', ref: null, entityRefs: null };
    const type = given[0];
    const ref = parseRefParameter(
      query[type]!,
      type,
      { entity: 'component', owner: 'group', system: 'system' }[type],
      { entity: undefined, owner: ['group', 'user'], system: ['system'] }[type],
    );
    const { catalog } = this.deps;
    if (type === 'entity') {
      const entity = await catalog.getEntityByRef(ref, { credentials });
      if (!entity) throw new NotFoundError(`No entity ${ref} in the catalog`);
      return { type, ref, entityRefs: [ref] };
    }
    const relation =
      type === 'owner' ? 'relations.ownedBy' : 'relations.partOf';
    const { items } = await catalog.getEntities(
      {
        filter: { [relation]: ref, kind: ['component', 'resource'] },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    if (
      items.length === 0 &&
      !(await catalog.getEntityByRef(ref, { credentials }))
    ) {
      throw new NotFoundError(`No ${type} ${ref} in the catalog`);
    }
    return { type, ref, entityRefs: items.map(entityKey) };
  }

  async getDora(
    query: DoraQuery,
    credentials: BackstageCredentials,
  ): Promise<DoraAnswer> {
    const bucket: DoraBucket = query.bucket ?? 'week';
    if (!['week', 'month'].includes(bucket)) {
      throw new InputError(`bucket must be week or month, not "${bucket}"`);
    }
    if (query.groupBy && !['owner', 'entity'].includes(query.groupBy)) {
      throw new InputError(
        `groupBy must be owner or entity, not "${query.groupBy}"`,
      );
    }
    const now = this.now().getTime();
    const { from, to } = doraPeriod(query, now);
    const scope = await this.resolveScope(query, credentials);
    const range = { from: new Date(from), to: new Date(to) };
    const none = scope.entityRefs !== null && scope.entityRefs.length === 0;
    const entityRefs = scope.entityRefs ?? undefined;
    const options = { from, to, bucket, now };
    // The database aggregates when it can (PostgreSQL); otherwise the facts
    // are read and aggregated here. The failures, the unmatched count and
    // the breakdown's groups (and, where the database aggregates, theirs)
    // are read meanwhile.
    const { store } = this.deps;
    const grouping =
      query.groupBy && !none
        ? this.groupsOf(
            { entityRefs, ...range },
            query.groupBy as 'owner' | 'entity',
            credentials,
          )
        : undefined;
    const [measured, failures, unmatchedEvents, grouped] = await Promise.all([
      (async () => {
        if (none) return { facts: [], aggregates: undefined };
        const aggregates = await store.aggregate({
          entityRefs,
          ...range,
          bucket,
        });
        return {
          aggregates,
          facts: aggregates
            ? []
            : await store.listFacts({ entityRefs, ...range }),
        };
      })(),
      none
        ? Promise.resolve([])
        : store.listFailures({ entityRefs, ...range, limit: 20 }),
      store.countUnmatched(),
      grouping,
    ]);
    const { aggregates, facts } = measured;
    const answer: DoraAnswer = {
      scope: { type: scope.type, ref: scope.ref },
      report: aggregates
        ? doraReportOf(aggregates, options)
        : computeDora(facts, options),
      failures,
      unmatchedEvents,
      simulatedDeployments:
        aggregates?.simulated ?? facts.filter(f => f.simulated).length,
    };
    if (query.groupBy) {
      answer.groups = grouped
        ? await this.breakdown(
            { entityRefs, ...range },
            grouped,
            options,
            aggregates ? undefined : facts,
          )
        : [];
    }
    return answer;
  }

  /**
   * The groups of a breakdown: each readable entity's owners, or itself,
   * and their aggregates where the database computes them (PostgreSQL).
   */
  private async groupsOf(
    scope: { entityRefs?: readonly string[]; from: Date; to: Date },
    by: 'owner' | 'entity',
    credentials: BackstageCredentials,
  ) {
    const { store, catalog } = this.deps;
    const range = { from: scope.from, to: scope.to };
    const refs = scope.entityRefs
      ? [...scope.entityRefs]
      : await store.listDeployedEntities(range);
    const entities = new Map<string, Entity>();
    for (let i = 0; i < refs.length; i += 500) {
      const part = refs.slice(i, i + 500);
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: part, fields: ENTITY_FIELDS },
        { credentials },
      );
      items.forEach((item, j) => {
        if (item) entities.set(part[j], item);
      });
    }
    // Each readable entity's groups: itself, or its owners.
    const members: Array<{ entityRef: string; group: string }> = [];
    const titles = new Map<string, string | null>();
    for (const [entityRef, entity] of entities) {
      const keys =
        by === 'entity'
          ? [entityRef]
          : (entity.relations ?? [])
              .filter(r => r.type === 'ownedBy')
              .map(r => normalizeEntityRef(r.targetRef));
      for (const group of keys) members.push({ entityRef, group });
      if (by === 'entity') titles.set(entityRef, entity.metadata.title ?? null);
    }
    if (by === 'owner') {
      // Teams by their names: a group's display name, or its title.
      const owners = [...new Set(members.map(m => m.group))];
      for (let i = 0; i < owners.length; i += 500) {
        const part = owners.slice(i, i + 500);
        const { items } = await catalog.getEntitiesByRefs(
          {
            entityRefs: part,
            fields: ['kind', 'metadata.name', 'metadata.title', 'spec.profile'],
          },
          { credentials },
        );
        items.forEach((item, j) => {
          const profile = (
            item?.spec as { profile?: { displayName?: string } } | undefined
          )?.profile;
          titles.set(
            part[j],
            profile?.displayName ?? item?.metadata.title ?? null,
          );
        });
      }
    }
    const aggregates = await store.aggregateGroups({ ...range, members });
    return { refs, members, titles, aggregates };
  }

  /**
   * The measures per owner or per entity, best deployment frequency first.
   * Entities the caller cannot read are left out of the rows (they still
   * count in the total).
   */
  private async breakdown(
    scope: { entityRefs?: readonly string[]; from: Date; to: Date },
    grouped: Awaited<ReturnType<DoraService['groupsOf']>>,
    options: { from: number; to: number; bucket: DoraBucket; now: number },
    /** The scope's facts, when they were read already. */
    factsRead?: DeploymentFacts[],
  ): Promise<DoraGroup[]> {
    const { refs, members, titles } = grouped;
    const range = { from: scope.from, to: scope.to };
    let aggregates = grouped.aggregates;
    if (!aggregates) {
      const facts =
        factsRead ??
        (await this.deps.store.listFacts({ entityRefs: refs, ...range }));
      const byEntity = new Map<string, DeploymentFacts[]>();
      for (const fact of facts) {
        const own = byEntity.get(fact.entityRef) ?? [];
        own.push(fact);
        byEntity.set(fact.entityRef, own);
      }
      const byGroup = new Map<string, DeploymentFacts[]>();
      for (const { entityRef, group } of members) {
        const list = byGroup.get(group) ?? [];
        for (const fact of byEntity.get(entityRef) ?? []) list.push(fact);
        byGroup.set(group, list);
      }
      aggregates = new Map(
        [...byGroup].map(([group, list]) => [group, aggregateFacts(list)]),
      );
    }
    const sizes = new Map<string, number>();
    for (const { group } of members)
      sizes.set(group, (sizes.get(group) ?? 0) + 1);
    return [...aggregates.entries()]
      .filter(([, aggregate]) => aggregate.deployments > 0)
      .map(([ref, aggregate]) => ({
        ref,
        title: titles.get(ref) ?? null,
        entities: sizes.get(ref) ?? 0,
        summary: doraReportOf(
          { summary: aggregate, buckets: new Map() },
          options,
        ).summary,
      }))
      .sort(
        (a, b) =>
          b.summary.deploymentsPerDay - a.summary.deploymentsPerDay ||
          a.ref.localeCompare(b.ref),
      );
  }
}
