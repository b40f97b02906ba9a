import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import type {
  FlagActionRecord,
  FlagAnnouncement,
  FlagKeep,
  FlagPageQuery,
  FlagPageRecord,
  FlagQuery,
  FlagRecord,
  FlagStore,
  FlagTargetKey,
  FlagTargetRecord,
  NewFlagRecord,
  StoredFlagEnvironment,
} from './FlagStore';
import type { FlagState } from '@glidepath/backstage-plugin-common';
import type { FlagFact, FlagSummaryBounds, FlagSummaryCounts } from './summary';
import { readActor, toActorJson } from '../shared/actors';
import { openGlidepathDatabase } from '../shared/database';
import { DbTimestamp, readTimestamp } from '../shared/timestamps';

type TargetRow = {
  entity_ref: string;
  provider: string;
  ref: string;
  simulated: boolean | number;
  read_at: DbTimestamp | null;
  attempted_at: DbTimestamp;
  error: string | null;
};

type FlagRow = {
  id: string;
  entity_ref: string;
  provider: string;
  target_ref: string;
  flag_key: string;
  name: string;
  project: string | null;
  description: string | null;
  type: string | null;
  temporary: boolean | number | null;
  created_at: DbTimestamp;
  created_by: string | null;
  maintainer: string | null;
  owner: string | null;
  owner_key?: string | null;
  owner_source: string | null;
  environments: string;
  last_evaluated_at: DbTimestamp | null;
  evaluation_known: boolean | number;
  changed_at: DbTimestamp | null;
  lifecycle: string | null;
  provider_stale: boolean | number;
  tags: string;
  url: string | null;
  state: string;
  state_reason: string;
  stale_at: DbTimestamp | null;
  first_seen_at: DbTimestamp;
  seen_at: DbTimestamp;
};

type KeepRow = {
  entity_ref: string;
  provider: string;
  flag_key: string;
  reason: string;
  expires_at: DbTimestamp;
  decided_by: string;
  decided_at: DbTimestamp;
};

type AnnouncementRow = {
  entity_ref: string;
  provider: string;
  flag_key: string;
  owner: string | null;
  dry_run: boolean | number;
  announced_at: DbTimestamp;
  due_at: DbTimestamp;
};

type ActionRow = {
  id: string;
  entity_ref: string;
  provider: string;
  flag_key: string;
  flag_name: string;
  action: string;
  reason: string;
  actor: string;
  status: string;
  message: string | null;
  at: DbTimestamp;
};

/** Rows per insert: well under SQLite's limit on bound variables. */
const CHUNK = 100;
/** Refs per `whereIn`. */
const REFS_PER_QUERY = 500;

const optionalTime = (value: DbTimestamp | null) =>
  value === null ? null : readTimestamp(value);

function toTarget(row: TargetRow): FlagTargetRecord {
  return {
    entityRef: row.entity_ref,
    provider: row.provider,
    ref: row.ref,
    simulated: Boolean(row.simulated),
    readAt: optionalTime(row.read_at),
    attemptedAt: readTimestamp(row.attempted_at),
    error: row.error,
  };
}

function toKeep(row: KeepRow): FlagKeep {
  return {
    reason: row.reason,
    expiresAt: readTimestamp(row.expires_at),
    decidedBy: readActor(row.decided_by),
    decidedAt: readTimestamp(row.decided_at),
  };
}

function toFlag(row: FlagRow, keep: KeepRow | undefined): FlagRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    provider: row.provider,
    targetRef: row.target_ref,
    key: row.flag_key,
    name: row.name,
    project: row.project,
    description: row.description,
    type: row.type,
    temporary: row.temporary === null ? null : Boolean(row.temporary),
    createdAt: readTimestamp(row.created_at),
    createdBy: row.created_by,
    maintainer: row.maintainer,
    owner: row.owner,
    ownerSource: row.owner_source as FlagRecord['ownerSource'],
    environments: JSON.parse(row.environments) as StoredFlagEnvironment[],
    lastEvaluatedAt: optionalTime(row.last_evaluated_at),
    evaluationKnown: Boolean(row.evaluation_known),
    changedAt: optionalTime(row.changed_at),
    lifecycle: row.lifecycle,
    providerStale: Boolean(row.provider_stale),
    tags: JSON.parse(row.tags) as string[],
    url: row.url,
    state: row.state as FlagState,
    stateReason: row.state_reason,
    staleAt: optionalTime(row.stale_at),
    firstSeenAt: readTimestamp(row.first_seen_at),
    seenAt: readTimestamp(row.seen_at),
    keep: keep ? toKeep(keep) : null,
  };
}

function toAction(row: ActionRow): FlagActionRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    provider: row.provider,
    flagKey: row.flag_key,
    flagName: row.flag_name,
    action: row.action as FlagActionRecord['action'],
    reason: row.reason,
    actor: readActor(row.actor),
    status: row.status as FlagActionRecord['status'],
    message: row.message,
    at: readTimestamp(row.at),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

const keepKey = (entityRef: string, provider: string, flagKey: string) =>
  JSON.stringify([entityRef, provider, flagKey]);

/**
 * The flag inventory in Glidepath's database (tables `flag_targets`,
 * `flags`, `flag_keeps`, `flag_actions`).
 */
export class DatabaseFlagStore implements FlagStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseFlagStore> {
    return new DatabaseFlagStore(await openGlidepathDatabase(options));
  }

  constructor(private readonly db: Knex) {}

  private get isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  /**
   * `column IN (refs)` with the refs as one bound JSON list, so that any
   * number of them fits in one query (a bound variable each would hit
   * SQLite's limit on variables).
   */
  private whereIn(builder: Knex.QueryBuilder, column: string, refs: string[]) {
    if (!refs.length) return builder.whereRaw('1 = 0');
    return builder.whereRaw(
      this.isPostgres
        ? '?? IN (SELECT jsonb_array_elements_text(?::jsonb))'
        : '?? IN (SELECT value FROM json_each(?))',
      [column, JSON.stringify(refs)],
    );
  }

  /** The flags matching a query: entities, owners, owner keys, states. */
  private matching(query: FlagQuery): Knex.QueryBuilder {
    const builder = this.db('flags');
    if (query.entityRefs) {
      this.whereIn(builder, 'flags.entity_ref', query.entityRefs);
    }
    if (query.owners) builder.whereIn('flags.owner', query.owners);
    if (query.ownerKeys) {
      this.whereIn(builder, 'flags.owner_key', query.ownerKeys);
    }
    if (query.states) builder.whereIn('flags.state', query.states);
    return builder;
  }

  async listTargets(entityRefs?: string[]): Promise<FlagTargetRecord[]> {
    if (entityRefs) {
      const rows: TargetRow[] = [];
      for (const refs of chunks(entityRefs, REFS_PER_QUERY)) {
        rows.push(
          ...(await this.db<TargetRow>('flag_targets').whereIn(
            'entity_ref',
            refs,
          )),
        );
      }
      return rows.map(toTarget);
    }
    return (await this.db<TargetRow>('flag_targets')).map(toTarget);
  }

  private async upsertTarget(
    tx: Knex.Transaction,
    target: FlagTargetKey & { simulated: boolean },
    values: Partial<TargetRow> & { attempted_at: Date; error: string | null },
  ) {
    await tx('flag_targets')
      .insert({
        entity_ref: target.entityRef,
        provider: target.provider,
        ref: target.ref,
        simulated: target.simulated,
        read_at: null,
        ...values,
      })
      .onConflict(['entity_ref', 'provider', 'ref'])
      .merge({ simulated: target.simulated, ...values });
  }

  async recordRead(options: {
    target: FlagTargetKey & { simulated: boolean };
    at: Date;
    flags: NewFlagRecord[];
  }): Promise<void> {
    const { target, at } = options;
    await this.db.transaction(async tx => {
      // A flag archived since the provider was read (by a person or the
      // cleanup) stays gone: this reading is older than the archive.
      const archived: Array<{ flag_key: string }> = await tx('flag_actions')
        .where({
          entity_ref: target.entityRef,
          provider: target.provider,
          action: 'archive',
          status: 'succeeded',
        })
        .andWhere('at', '>=', at)
        .select('flag_key');
      const archivedSince = new Set(archived.map(row => row.flag_key));
      // A key listed twice (e.g. on two pages) counts once, the last reading.
      const flags = [
        ...new Map(options.flags.map(flag => [flag.key, flag])).values(),
      ].filter(flag => !archivedSince.has(flag.key));
      await this.upsertTarget(tx, target, {
        read_at: at,
        attempted_at: at,
        error: null,
      });
      for (const chunk of chunks(flags, CHUNK)) {
        await tx('flags')
          .insert(
            chunk.map(flag => ({
              id: uuid(),
              entity_ref: target.entityRef,
              provider: target.provider,
              first_seen_at: at,
              ...this.flagColumns(flag, target.ref, at),
            })),
          )
          .onConflict(['entity_ref', 'provider', 'flag_key'])
          .merge(Object.keys(this.flagColumns(chunk[0], target.ref, at)));
      }
      // What the provider no longer lists is gone (deleted or archived).
      // By key, not by time: replicas' clocks need not agree.
      const listed = new Set(flags.map(flag => flag.key));
      const stored: Array<{ id: string; flag_key: string }> = await tx('flags')
        .where({
          entity_ref: target.entityRef,
          provider: target.provider,
          target_ref: target.ref,
        })
        .select('id', 'flag_key');
      const gone = stored.filter(row => !listed.has(row.flag_key));
      for (const ids of chunks(
        gone.map(row => row.id),
        REFS_PER_QUERY,
      )) {
        await tx('flags').whereIn('id', ids).delete();
      }
    });
  }

  private flagColumns(flag: NewFlagRecord, targetRef: string, at: Date) {
    return {
      target_ref: targetRef,
      flag_key: flag.key,
      name: flag.name,
      project: flag.project,
      description: flag.description,
      type: flag.type,
      temporary: flag.temporary,
      created_at: flag.createdAt,
      created_by: flag.createdBy,
      maintainer: flag.maintainer,
      owner: flag.owner,
      owner_key: flag.owner?.toLowerCase() ?? null,
      owner_source: flag.ownerSource,
      environments: JSON.stringify(flag.environments),
      last_evaluated_at: flag.lastEvaluatedAt,
      evaluation_known: flag.evaluationKnown,
      changed_at: flag.changedAt,
      lifecycle: flag.lifecycle,
      provider_stale: flag.providerStale,
      tags: JSON.stringify(flag.tags),
      url: flag.url,
      state: flag.state,
      state_reason: flag.stateReason,
      stale_at: flag.staleAt,
      seen_at: at,
    };
  }

  async recordFailure(options: {
    target: FlagTargetKey & { simulated: boolean };
    at: Date;
    error: string;
  }): Promise<void> {
    await this.db.transaction(tx =>
      this.upsertTarget(tx, options.target, {
        attempted_at: options.at,
        error: options.error,
      }),
    );
  }

  async removeTargets(targets: FlagTargetKey[]): Promise<void> {
    if (!targets.length) return;
    await this.db.transaction(async tx => {
      for (const target of targets) {
        await tx('flags')
          .where({
            entity_ref: target.entityRef,
            provider: target.provider,
            target_ref: target.ref,
          })
          .delete();
        await tx('flag_targets')
          .where({
            entity_ref: target.entityRef,
            provider: target.provider,
            ref: target.ref,
          })
          .delete();
      }
    });
  }

  async listFlags(query: FlagQuery): Promise<FlagRecord[]> {
    const narrow = (builder: Knex.QueryBuilder, refs?: string[]) => {
      if (refs) builder.whereIn('entity_ref', refs);
      if (query.owners) builder.whereIn('owner', query.owners);
      if (query.states) builder.whereIn('state', query.states);
      return builder;
    };
    const rows: FlagRow[] = [];
    const keeps: KeepRow[] = [];
    const refGroups = query.entityRefs
      ? chunks(query.entityRefs, REFS_PER_QUERY)
      : [undefined];
    for (const refs of refGroups) {
      rows.push(...(await narrow(this.db<FlagRow>('flags').select(), refs)));
      const keepQuery = this.db<KeepRow>('flag_keeps').select();
      if (refs) keepQuery.whereIn('entity_ref', refs);
      keeps.push(...(await keepQuery));
    }
    return this.withKeeps(rows, keeps).sort(
      (a, b) =>
        a.createdAt.getTime() - b.createdAt.getTime() ||
        a.name.localeCompare(b.name) ||
        a.id.localeCompare(b.id),
    );
  }

  private withKeeps(rows: FlagRow[], keeps: KeepRow[]): FlagRecord[] {
    const byKey = new Map(
      keeps.map(k => [keepKey(k.entity_ref, k.provider, k.flag_key), k]),
    );
    return rows.map(row =>
      toFlag(
        row,
        byKey.get(keepKey(row.entity_ref, row.provider, row.flag_key)),
      ),
    );
  }

  async getFlag(id: string): Promise<FlagRecord | undefined> {
    const row = await this.db<FlagRow>('flags').where({ id }).first();
    if (!row) return undefined;
    const keep = await this.db<KeepRow>('flag_keeps')
      .where({
        entity_ref: row.entity_ref,
        provider: row.provider,
        flag_key: row.flag_key,
      })
      .first();
    return toFlag(row, keep);
  }

  async listFlagEntityRefs(query: FlagQuery = {}): Promise<string[]> {
    const rows: Array<{ entity_ref: string }> = await this.matching(query)
      .distinct('flags.entity_ref')
      .orderBy('flags.entity_ref');
    return rows.map(row => row.entity_ref);
  }

  async pageFlags(query: FlagPageQuery): Promise<FlagPageRecord> {
    // By code point on both databases (PostgreSQL's default collation
    // would follow the locale).
    const order = (builder: Knex.QueryBuilder) =>
      builder
        .orderBy('flags.created_at')
        .orderByRaw(this.isPostgres ? 'flags.name COLLATE "C"' : 'flags.name')
        .orderBy('flags.id');
    // The page's ids first: sorting narrow rows, then reading the page.
    const ids = order(this.matching(query).select('flags.id'))
      .limit(query.limit)
      .offset(query.offset);
    const [rows, byState]: [
      FlagRow[],
      Array<{ state: string; n: number | string }>,
    ] = await Promise.all([
      order(this.db('flags').whereIn('flags.id', ids).select('flags.*')),
      this.matching(query)
        .select('flags.state')
        .count({ n: '*' })
        .groupBy('flags.state'),
    ]);
    const keeps: KeepRow[] = rows.length
      ? await this.whereIn(
          this.db<KeepRow>('flag_keeps').select(),
          'entity_ref',
          [...new Set(rows.map(row => row.entity_ref))],
        )
      : [];
    const counts: FlagPageRecord['counts'] = {};
    for (const row of byState) counts[row.state as FlagState] = Number(row.n);
    return { items: this.withKeeps(rows, keeps), counts };
  }

  async countFlagSummary(options: {
    entityRefs: string[];
    bounds: FlagSummaryBounds;
  }): Promise<FlagSummaryCounts> {
    const { bounds } = options;
    const weeks = bounds.weekEnds.length;
    // Per owner and state: the teams and the states.
    const groupRows: Array<{
      owner: string | null;
      state: string;
      n: number | string;
      simulated: number | string | null;
    }> = await this.matching({ entityRefs: options.entityRefs })
      .leftJoin('flag_targets', join =>
        join
          .on('flag_targets.entity_ref', 'flags.entity_ref')
          .andOn('flag_targets.provider', 'flags.provider')
          .andOn('flag_targets.ref', 'flags.target_ref'),
      )
      .select('flags.owner', 'flags.state')
      .count({ n: '*' })
      .select(
        this.db.raw(
          'SUM(CASE WHEN flag_targets.simulated = ? THEN 1 ELSE 0 END) AS simulated',
          [true],
        ),
      )
      .groupBy('flags.owner', 'flags.state');
    // Per age bucket, and the first week's end at which each flag existed
    // and was stale: each flag placed by comparisons with the bounds (no
    // date arithmetic, which the databases do differently), a few hundred
    // groups whatever the number of flags.
    const bindings: Date[] = [];
    const ladder = (test: (bound: string) => string, edges: Date[]) =>
      edges
        .map((bound, i) => {
          bindings.push(bound);
          return `WHEN ${test('?')} THEN ${i}`;
        })
        .join(' ');
    const age = `CASE ${ladder(
      b => `flags.created_at > ${b}`,
      bounds.youngerThan,
    )} ELSE ${bounds.youngerThan.length} END`;
    const existedFrom = `CASE ${ladder(
      b => `flags.created_at <= ${b}`,
      bounds.weekEnds,
    )} ELSE ${weeks} END`;
    const staleSince = this.isPostgres
      ? 'GREATEST(flags.created_at, flags.stale_at)'
      : 'MAX(flags.created_at, flags.stale_at)';
    const staleFrom = `CASE WHEN flags.stale_at IS NULL THEN ${weeks} ${ladder(
      b => `${staleSince} <= ${b}`,
      bounds.weekEnds,
    )} ELSE ${weeks} END`;
    const timeRows: Array<{
      age: number | string;
      existed_from: number | string;
      stale_from: number | string;
      n: number | string;
    }> = await this.matching({ entityRefs: options.entityRefs })
      .select(
        this.db.raw(
          `${age} AS age, ${existedFrom} AS existed_from, ${staleFrom} AS stale_from`,
          bindings,
        ),
      )
      .count({ n: '*' })
      .groupByRaw('1, 2, 3');
    const counts: FlagSummaryCounts = {
      groups: groupRows.map(row => ({
        owner: row.owner,
        state: row.state as FlagState,
        total: Number(row.n),
        simulated: Number(row.simulated ?? 0),
      })),
      ages: new Array(bounds.youngerThan.length + 1).fill(0),
      existedFrom: new Array(weeks + 1).fill(0),
      staleFrom: new Array(weeks + 1).fill(0),
    };
    for (const row of timeRows) {
      const n = Number(row.n);
      counts.ages[Number(row.age)] += n;
      counts.existedFrom[Number(row.existed_from)] += n;
      counts.staleFrom[Number(row.stale_from)] += n;
    }
    return counts;
  }

  async listFlagFacts(entityRefs: string[]): Promise<FlagFact[]> {
    const facts: FlagFact[] = [];
    for (const refs of chunks(entityRefs, REFS_PER_QUERY)) {
      const rows: Array<
        Pick<
          FlagRow,
          | 'entity_ref'
          | 'owner'
          | 'state'
          | 'created_at'
          | 'stale_at'
          | 'changed_at'
        > & { simulated: boolean | number | null }
      > = await this.db('flags')
        .leftJoin('flag_targets', join =>
          join
            .on('flag_targets.entity_ref', 'flags.entity_ref')
            .andOn('flag_targets.provider', 'flags.provider')
            .andOn('flag_targets.ref', 'flags.target_ref'),
        )
        .whereIn('flags.entity_ref', refs)
        .select(
          'flags.entity_ref',
          'flags.owner',
          'flags.state',
          'flags.created_at',
          'flags.stale_at',
          'flags.changed_at',
          'flag_targets.simulated',
        );
      for (const row of rows) {
        facts.push({
          entityRef: row.entity_ref,
          owner: row.owner,
          state: row.state as FlagState,
          createdAt: readTimestamp(row.created_at),
          staleAt: optionalTime(row.stale_at),
          changedAt: optionalTime(row.changed_at),
          simulated: Boolean(row.simulated),
        });
      }
    }
    return facts;
  }

  async refreshStatistics(): Promise<void> {
    // Without statistics PostgreSQL plans the flag list and the summary as
    // if the tables were empty (nested loops over 20,000 flags: seconds
    // instead of milliseconds). Cheap: it samples the tables.
    if (this.isPostgres) await this.db.raw('ANALYZE flags, flag_targets');
  }

  async removeFlag(id: string): Promise<void> {
    await this.db('flags').where({ id }).delete();
  }

  async setKeep(options: {
    entityRef: string;
    provider: string;
    flagKey: string;
    keep: FlagKeep;
  }): Promise<void> {
    const { keep } = options;
    const values = {
      reason: keep.reason,
      expires_at: keep.expiresAt,
      decided_by: toActorJson(keep.decidedBy),
      decided_at: keep.decidedAt,
    };
    await this.db('flag_keeps')
      .insert({
        entity_ref: options.entityRef,
        provider: options.provider,
        flag_key: options.flagKey,
        ...values,
      })
      .onConflict(['entity_ref', 'provider', 'flag_key'])
      .merge(values);
  }

  async recordAction(
    action: Omit<FlagActionRecord, 'id'>,
  ): Promise<FlagActionRecord> {
    const id = uuid();
    await this.db('flag_actions').insert({
      id,
      entity_ref: action.entityRef,
      provider: action.provider,
      flag_key: action.flagKey,
      flag_name: action.flagName,
      action: action.action,
      reason: action.reason,
      actor: toActorJson(action.actor),
      status: action.status,
      message: action.message,
      at: action.at,
    });
    return { ...action, id };
  }

  async listActions(entityRef: string): Promise<FlagActionRecord[]> {
    const rows = await this.db<ActionRow>('flag_actions')
      .where({ entity_ref: entityRef })
      .orderBy('at', 'desc')
      .orderBy('id')
      .limit(50);
    return rows.map(toAction);
  }

  async listAnnouncements(): Promise<FlagAnnouncement[]> {
    const rows = await this.db<AnnouncementRow>('flag_announcements');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      provider: row.provider,
      flagKey: row.flag_key,
      owner: row.owner,
      dryRun: Boolean(row.dry_run),
      announcedAt: readTimestamp(row.announced_at),
      dueAt: readTimestamp(row.due_at),
    }));
  }

  async announce(announcements: FlagAnnouncement[]): Promise<void> {
    for (const chunk of chunks(announcements, CHUNK)) {
      await this.db('flag_announcements')
        .insert(
          chunk.map(a => ({
            entity_ref: a.entityRef,
            provider: a.provider,
            flag_key: a.flagKey,
            owner: a.owner,
            dry_run: a.dryRun,
            announced_at: a.announcedAt,
            due_at: a.dueAt,
          })),
        )
        .onConflict(['entity_ref', 'provider', 'flag_key'])
        .merge(['owner', 'dry_run', 'announced_at', 'due_at']);
    }
  }

  async withdraw(
    flags: Array<Pick<FlagAnnouncement, 'entityRef' | 'provider' | 'flagKey'>>,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      for (const flag of flags) {
        await tx('flag_announcements')
          .where({
            entity_ref: flag.entityRef,
            provider: flag.provider,
            flag_key: flag.flagKey,
          })
          .delete();
      }
    });
  }
}
