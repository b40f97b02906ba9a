import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_FLAGS,
  EntityFlags,
  Flag,
  FlagAction,
  FlagCoverage,
  FlagList,
  FlagState,
  FlagSummary,
  glidepathReleaseControlPermission,
  readGlidepathAnnotations,
} from '@glidepath/backstage-plugin-common';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type {
  FlagActionRecord,
  FlagRecord,
  FlagStore,
  FlagTargetRecord,
} from './FlagStore';
import { archiveFlagInProvider } from './archive';
import type { FlagProviderRegistry, FlagSync } from './FlagSync';
import { FLAG_STATES } from '@glidepath/backstage-plugin-common';
import { flagSummaryBounds, summarizeFlagCounts } from './summary';
import { flagCoverage } from './coverage';
import { entityOwner } from './FlagSync';
import type { DoraStore } from '../dora/DoraStore';
import { audited, requirePermission } from '../shared/authorize';
import { callerKey, ENTITY_READ_TTL_MS } from '../shared/cachedEntityReads';
import type { Caller } from '../shared/caller';
import { entityKey, parseRefParameter } from '../shared/refs';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A keep decision lasts at most this long. */
const MAX_KEEP_MS = 366 * DAY_MS;
/** Flags per page of `GET /flags` unless asked, and at most. */
const DEFAULT_PAGE = 1000;
const MAX_PAGE = 5000;
/** How many callers' visibility answers are kept at most. */
const VISIBILITY_KEPT = 1000;
/** Refs per catalog read when checking what a caller may see. */
const REFS_PER_READ = 500;

const targetKey = (t: { entityRef: string; provider: string; ref: string }) =>
  JSON.stringify([t.entityRef, t.provider, t.ref]);

/**
 * The flag inventory for people: the flags of every entity the caller may
 * read (`GET /flags`), an entity's flags, and the two decisions on a flag,
 * keep (with a reason and an expiry) and archive now (through its
 * provider), both needing `glidepath.release.control` on the entity and
 * audited as `flag-keep` and `flag-archive`.
 */
export class FlagService {
  /** What callers may read, by caller and refs (see `readable`). */
  private readonly visibility = new Map<
    string,
    { visible: Promise<Set<string>>; until: number }
  >();

  constructor(
    private readonly deps: {
      store: FlagStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
      providers: FlagProviderRegistry;
      sync: Pick<FlagSync, 'targetOf'>;
      actionTimeoutMs: number;
      /** DORA's production deployments, for the share behind flags. */
      dora?: Pick<DoraStore, 'listFacts'>;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private toFlag(
    flag: FlagRecord,
    target: FlagTargetRecord | undefined,
    now: Date,
  ): Flag {
    return {
      id: flag.id,
      entityRef: flag.entityRef,
      provider: flag.provider,
      simulated: target?.simulated ?? false,
      key: flag.key,
      name: flag.name,
      project: flag.project,
      description: flag.description,
      type: flag.type,
      temporary: flag.temporary,
      createdAt: flag.createdAt.toISOString(),
      createdBy: flag.createdBy,
      ageDays: Math.max(
        0,
        Math.floor((now.getTime() - flag.createdAt.getTime()) / DAY_MS),
      ),
      owner: flag.owner,
      ownerSource: flag.ownerSource,
      environments: flag.environments,
      lastEvaluatedAt: flag.lastEvaluatedAt?.toISOString() ?? null,
      evaluationKnown: flag.evaluationKnown,
      lifecycle: flag.lifecycle,
      providerStale: flag.providerStale,
      tags: flag.tags,
      url: flag.url,
      state: flag.state,
      stateReason: flag.stateReason,
      staleAt: flag.staleAt?.toISOString() ?? null,
      keep: flag.keep && {
        reason: flag.keep.reason,
        expiresAt: flag.keep.expiresAt.toISOString(),
        expired: flag.keep.expiresAt.getTime() <= now.getTime(),
        decidedBy: flag.keep.decidedBy,
        decidedAt: flag.keep.decidedAt.toISOString(),
      },
      inventoryStale: Boolean(target?.error),
      readAt: target?.readAt?.toISOString() ?? null,
    };
  }

  private toAction(action: FlagActionRecord): FlagAction {
    return { ...action, at: action.at.toISOString() };
  }

  /**
   * The refs among `refs` of entities the caller may read. The answer for
   * the same caller and refs is reused for a few seconds (as the entity
   * reads are, {@link ENTITY_READ_TTL_MS}), and shared by requests asked at
   * the same time: the page asks for its figures and its list at once, and
   * checking 1,000 entities with the catalog costs more than the counting.
   */
  private readable(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const caller = callerKey(credentials);
    if (!caller) return this.readableInCatalog(refs, credentials);
    const key = createHash('sha256')
      .update(caller)
      .update('\n')
      .update(refs.join('\n'))
      .digest('hex');
    const now = Date.now();
    const kept = this.visibility.get(key);
    if (kept && kept.until > now) return kept.visible;
    this.visibility.delete(key);
    const visible = this.readableInCatalog(refs, credentials);
    const entry = { visible, until: Number.POSITIVE_INFINITY };
    this.visibility.set(key, entry);
    if (this.visibility.size > VISIBILITY_KEPT) {
      this.visibility.delete(this.visibility.keys().next().value!);
    }
    visible.then(
      () => {
        entry.until = Date.now() + ENTITY_READ_TTL_MS;
      },
      () => {
        if (this.visibility.get(key) === entry) this.visibility.delete(key);
      },
    );
    return visible;
  }

  private async readableInCatalog(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const visible = new Set<string>();
    for (let i = 0; i < refs.length; i += REFS_PER_READ) {
      const chunk = refs.slice(i, i + REFS_PER_READ);
      const { items } = await this.deps.catalog.getEntitiesByRefs(
        {
          entityRefs: chunk,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      for (const entity of items) {
        if (entity) visible.add(entityKey(entity));
      }
    }
    return visible;
  }

  async listFlags(
    query: {
      owner?: string[];
      entity?: string[];
      state?: FlagState[];
      limit?: number;
      offset?: number;
    },
    credentials: BackstageCredentials,
  ): Promise<FlagList> {
    const entityRefs = query.entity?.map(ref =>
      parseRefParameter(ref, 'entity', 'component'),
    );
    const owners = query.owner?.map(owner => {
      if (!owner.trim()) throw new InputError('owner must not be blank');
      return owner.trim().toLowerCase();
    });
    const states = query.state;
    for (const state of states ?? []) {
      if (!FLAG_STATES.includes(state)) {
        throw new InputError(
          `state "${state}" is not a flag state: use ${FLAG_STATES.join(', ')}`,
        );
      }
    }
    // An owner matches as given (a ref, a maintainer's email), or as a
    // group's name in the default namespace; case-insensitively.
    const ownerKeys = owners?.length
      ? [
          ...new Set(
            owners.flatMap(o =>
              o.includes(':') || o.includes('@')
                ? [o]
                : [o, `group:default/${o}`],
            ),
          ),
        ]
      : undefined;
    const filter = {
      entityRefs,
      ownerKeys,
      states: states?.length ? states : undefined,
    };
    const limit = query.limit ?? DEFAULT_PAGE;
    const offset = query.offset ?? 0;
    for (const [name, value, min, max] of [
      ['limit', limit, 1, MAX_PAGE],
      ['offset', offset, 0, Number.MAX_SAFE_INTEGER],
    ] as const) {
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new InputError(
          `${name} must be a whole number from ${min} to ${max}`,
        );
      }
    }
    // The entities whose flags match, then those the caller may read: the
    // page and the counts are of those only, paged in the database.
    const refs = await this.deps.store.listFlagEntityRefs(filter);
    const visible = await this.readable(refs, credentials);
    const { items, counts } = await this.deps.store.pageFlags({
      ...filter,
      entityRefs: refs.filter(ref => visible.has(ref)),
      limit,
      offset,
    });
    const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
    const targets = await this.deps.store.listTargets([
      ...new Set(items.map(f => f.entityRef)),
    ]);
    const byTarget = new Map(targets.map(t => [targetKey(t), t]));
    const now = this.now();
    return {
      items: items.map(flag =>
        this.toFlag(
          flag,
          byTarget.get(targetKey({ ...flag, ref: flag.targetRef })),
          now,
        ),
      ),
      total,
      counts,
      offset,
      limit,
      nextOffset: offset + items.length < total ? offset + items.length : null,
    };
  }

  /** The portal page's figures, over the flags the caller may read. */
  async summary(credentials: BackstageCredentials): Promise<FlagSummary> {
    const refs = await this.deps.store.listFlagEntityRefs();
    const visible = await this.readable(refs, credentials);
    // Counted by the database per owner and state, not flag by flag here.
    const bounds = flagSummaryBounds(this.now());
    const counted = await this.deps.store.countFlagSummary({
      entityRefs: refs.filter(ref => visible.has(ref)),
      bounds,
    });
    const summary = summarizeFlagCounts(counted, bounds);
    const titles = await this.ownerTitles(
      summary.teams.flatMap(t => (t.owner?.includes(':') ? [t.owner] : [])),
      credentials,
    );
    return {
      ...summary,
      teams: summary.teams.map(team => ({
        ...team,
        title: (team.owner && titles.get(team.owner)) ?? null,
      })),
    };
  }

  /**
   * The share of new features behind flags over [from, to): of the
   * production deployments of entities the caller may read whose first
   * commit is known, those for which a flag of the entity was created or
   * last changed between that commit and the deployment.
   */
  async coverage(
    range: { from?: string; to?: string },
    credentials: BackstageCredentials,
  ): Promise<FlagCoverage> {
    const to = range.to ? new Date(range.to) : this.now();
    const from = range.from
      ? new Date(range.from)
      : new Date(to.getTime() - 28 * DAY_MS);
    for (const [name, value, date] of [
      ['from', range.from, from],
      ['to', range.to, to],
    ] as const) {
      if (Number.isNaN(date.getTime())) {
        throw new InputError(`${name} "${value}" is not a date or date-time`);
      }
    }
    if (from.getTime() >= to.getTime()) {
      throw new InputError(
        `from ${from.toISOString()} is not before to ${to.toISOString()}`,
      );
    }
    const facts = this.deps.dora
      ? await this.deps.dora.listFacts({ from, to })
      : [];
    const deployments = facts.filter(f => f.leadTimeMs !== null);
    const refs = [...new Set(deployments.map(d => d.entityRef))];
    const owners = new Map<string, string | null>();
    for (let i = 0; i < refs.length; i += REFS_PER_READ) {
      const chunk = refs.slice(i, i + REFS_PER_READ);
      const { items } = await this.deps.catalog.getEntitiesByRefs(
        { entityRefs: chunk },
        { credentials },
      );
      items.forEach((entity, j) => {
        if (entity) owners.set(chunk[j], entityOwner(entity) ?? null);
      });
    }
    const visible = deployments.filter(d => owners.has(d.entityRef));
    const flagTimes = new Map<string, number[]>();
    for (const fact of await this.deps.store.listFlagFacts([
      ...owners.keys(),
    ])) {
      const times = flagTimes.get(fact.entityRef) ?? [];
      times.push(fact.createdAt.getTime());
      if (fact.changedAt) times.push(fact.changedAt.getTime());
      flagTimes.set(fact.entityRef, times);
    }
    const coverage = flagCoverage(
      visible.map(d => ({
        entityRef: d.entityRef,
        deployedAt: d.deployedAt,
        firstCommitAt: d.deployedAt - d.leadTimeMs!,
      })),
      flagTimes,
      owners,
    );
    // Names in the same answer: a page need not read each team again.
    const titles = await this.ownerTitles(
      coverage.teams.flatMap(t => (t.owner?.includes(':') ? [t.owner] : [])),
      credentials,
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      ...coverage,
      teams: coverage.teams.map(team => ({
        ...team,
        title: (team.owner && titles.get(team.owner)) ?? null,
      })),
    };
  }

  /** Owners' names as the catalog has them (title, else display name). */
  private async ownerTitles(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    const titles = new Map<string, string>();
    for (let i = 0; i < refs.length; i += REFS_PER_READ) {
      const chunk = refs.slice(i, i + REFS_PER_READ);
      const { items } = await this.deps.catalog.getEntitiesByRefs(
        {
          entityRefs: chunk,
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.title',
            'spec.profile.displayName',
          ],
        },
        { credentials },
      );
      items.forEach((entity, j) => {
        const profile = entity?.spec?.profile as
          | { displayName?: unknown }
          | undefined;
        const name =
          entity?.metadata.title ??
          (typeof profile?.displayName === 'string'
            ? profile.displayName
            : undefined);
        if (name?.trim()) titles.set(chunk[j], name.trim());
      });
    }
    return titles;
  }

  private async entityOf(entityRef: string, credentials: BackstageCredentials) {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return entity;
  }

  async getEntityFlags(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityFlags> {
    const entity = await this.entityOf(entityRef, credentials);
    const key = entityKey(entity);
    const annotations = readGlidepathAnnotations(entity);
    const [flags, targets, actions] = await Promise.all([
      this.deps.store.listFlags({ entityRefs: [key] }),
      this.deps.store.listTargets([key]),
      this.deps.store.listActions(key),
    ]);
    const byTarget = new Map(targets.map(t => [targetKey(t), t]));
    const now = this.now();
    return {
      entityRef: key,
      flags: flags.map(flag =>
        this.toFlag(
          flag,
          byTarget.get(targetKey({ ...flag, ref: flag.targetRef })),
          now,
        ),
      ),
      sources: (annotations.flags ?? []).map(entry => {
        const target = byTarget.get(
          targetKey({
            entityRef: key,
            provider: entry.provider,
            ref: entry.ref,
          }),
        );
        const provider = this.deps.providers.get(entry.provider);
        return {
          provider: entry.provider,
          ref: entry.ref,
          simulated: Boolean(provider?.simulated),
          canArchive: Boolean(provider?.archiveFlag),
          readAt: target?.readAt?.toISOString() ?? null,
          attemptedAt: target?.attemptedAt.toISOString() ?? null,
          error:
            target?.error ??
            (provider
              ? null
              : this.deps.providers.unknownProviderMessage(entry.provider)),
        };
      }),
      problems: annotations.problems.filter(
        p => p.annotation === ANNOTATION_FLAGS,
      ),
      actions: actions.map(a => this.toAction(a)),
    };
  }

  /** The flag `flagId` of the entity, for a decision on it by the caller. */
  private async decidable(options: {
    entityRef: string;
    flagId: string;
    credentials: BackstageCredentials;
    refusal: (entityRef: string) => string;
  }) {
    const entity = await this.entityOf(options.entityRef, options.credentials);
    const key = entityKey(entity);
    const flag = await this.deps.store.getFlag(options.flagId);
    if (!flag || flag.entityRef !== key) {
      throw new NotFoundError(`${key} has no flag with id ${options.flagId}`);
    }
    await requirePermission(this.deps.permissions, {
      credentials: options.credentials,
      permission: glidepathReleaseControlPermission,
      entityRef: key,
      refusal: options.refusal(key),
    });
    return { entity, key, flag };
  }

  async keepFlag(options: {
    entityRef: string;
    flagId: string;
    request: { reason: string; expiresAt: string };
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<Flag> {
    const { entityRef, flagId, request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'flag-keep',
        severityLevel: 'medium',
        request: options.httpRequest,
        meta: { entityRef, flagId, expiresAt: request?.expiresAt ?? null },
      },
      async () => {
        const { actor, credentials } = await options.caller();
        const { key, flag } = await this.decidable({
          entityRef,
          flagId,
          credentials,
          refusal: ref => `You are not allowed to keep flags of ${ref}`,
        });
        const reason = request.reason.trim();
        if (!reason) throw new InputError('reason must not be blank');
        const now = this.now();
        const expiresAt = new Date(request.expiresAt);
        if (Number.isNaN(expiresAt.getTime())) {
          throw new InputError(
            `expiresAt "${request.expiresAt}" is not a date-time`,
          );
        }
        if (expiresAt.getTime() <= now.getTime()) {
          throw new InputError(
            `expiresAt ${expiresAt.toISOString()} is not in the future`,
          );
        }
        if (expiresAt.getTime() - now.getTime() > MAX_KEEP_MS) {
          throw new InputError(
            `expiresAt ${expiresAt.toISOString()} is more than a year ahead: decide again then`,
          );
        }
        const keep = { reason, expiresAt, decidedBy: actor, decidedAt: now };
        await this.deps.store.setKeep({
          entityRef: key,
          provider: flag.provider,
          flagKey: flag.key,
          keep,
        });
        await this.deps.store.recordAction({
          entityRef: key,
          provider: flag.provider,
          flagKey: flag.key,
          flagName: flag.name,
          action: 'keep',
          reason,
          actor,
          status: 'succeeded',
          message: `kept until ${expiresAt.toISOString()}`,
          at: now,
        });
        const [target] = (await this.deps.store.listTargets([key])).filter(
          t => t.provider === flag.provider && t.ref === flag.targetRef,
        );
        return {
          result: this.toFlag({ ...flag, keep }, target, now),
          meta: {
            flag: flag.key,
            provider: flag.provider,
            state: flag.state,
            by: `${actor.kind}:${actor.ref}`,
          },
        };
      },
    );
  }

  async archiveFlag(options: {
    entityRef: string;
    flagId: string;
    request: { reason: string };
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<FlagAction> {
    const { entityRef, flagId, request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'flag-archive',
        severityLevel: 'high',
        request: options.httpRequest,
        meta: { entityRef, flagId },
      },
      async () => {
        const { actor, credentials } = await options.caller();
        const { entity, flag } = await this.decidable({
          entityRef,
          flagId,
          credentials,
          refusal: ref => `You are not allowed to archive flags of ${ref}`,
        });
        const reason = request.reason.trim();
        if (!reason) throw new InputError('reason must not be blank');
        const { action, failure } = await archiveFlagInProvider(
          { ...this.deps, now: () => this.now() },
          { entity, flag, reason, actor },
        );
        if (failure !== undefined) {
          throw new ConflictError(`${flag.name} was not archived: ${failure}`);
        }
        return {
          result: this.toAction(action),
          meta: {
            flag: flag.key,
            provider: flag.provider,
            state: flag.state,
            by: `${actor.kind}:${actor.ref}`,
          },
        };
      },
    );
  }
}
