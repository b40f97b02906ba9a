import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { FLAG_STATES } from '@glidepath/backstage-plugin-common';
import type { Knex } from 'knex';
import { DatabaseFlagStore } from './DatabaseFlagStore';
import type { FlagQuery, FlagRecord, NewFlagRecord } from './FlagStore';
import {
  AGE_BUCKETS,
  flagSummaryBounds,
  summarizeFlagCounts,
  summarizeFlags,
} from './summary';

jest.setTimeout(120_000);

/*
 * The Feature flags page's API counts and pages in the database
 * (countFlagSummary, pageFlags); these tests hold it to the JavaScript it
 * replaced (summarizeFlags over every flag's facts; filtering and sorting
 * every flag) on a varied inventory, on SQLite and PostgreSQL.
 */

const NOW = new Date('2026-12-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

/** mulberry32: the same fixture every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENTITIES = Array.from(
  { length: 7 },
  (_, i) => `component:default/service-${i}`,
);
const OWNERS = [
  'group:default/team-a',
  'group:default/team-b',
  // A maintainer as the provider spells it: the owner filter ignores case.
  'Ann.Lee@Example.com',
  'ann.lee@example.com',
  // Beyond ASCII: lower-cased as JavaScript does.
  'ÉQUIPE@example.com',
  null,
];
const NAMES = ['alpha', 'Alpha', 'beta', 'Zulu', 'zulu', 'ägypten', 'new-cart'];

/**
 * Creation times that sit on the figures' edges (exactly on an age
 * bucket's bound or a week's end, a millisecond either side, in the
 * future), and anywhere up to two years back.
 */
function createdAt(r: () => number): Date {
  const bounds = flagSummaryBounds(NOW);
  const edges = [
    ...bounds.youngerThan.map(d => d.getTime()),
    ...bounds.weekEnds.map(d => d.getTime()),
    NOW.getTime(),
  ];
  const pick = r();
  if (pick < 0.4) {
    const edge = edges[Math.floor(r() * edges.length)];
    return new Date(edge + [-1, 0, 1][Math.floor(r() * 3)]);
  }
  if (pick < 0.45) return new Date(NOW.getTime() + r() * 3 * DAY);
  // Several flags created at the same instant: the list orders them by name.
  if (pick < 0.6) return new Date(NOW.getTime() - 30 * DAY);
  return new Date(NOW.getTime() - Math.floor(r() * 730 * DAY));
}

function fixture(seed: number, count: number) {
  const r = random(seed);
  const byEntity = new Map<string, NewFlagRecord[]>();
  for (let i = 0; i < count; i++) {
    const entityRef = ENTITIES[Math.floor(r() * ENTITIES.length)];
    const created = createdAt(r);
    const lifetime = [null, 7, 40, 90][Math.floor(r() * 4)];
    let staleAt: Date | null =
      lifetime === null ? null : new Date(created.getTime() + lifetime * DAY);
    // Some exactly on a week's end.
    if (staleAt && r() < 0.2) {
      const ends = flagSummaryBounds(NOW).weekEnds;
      staleAt = ends[Math.floor(r() * ends.length)];
    }
    const state = FLAG_STATES[Math.floor(r() * FLAG_STATES.length)];
    const name = NAMES[Math.floor(r() * NAMES.length)];
    const list = byEntity.get(entityRef) ?? [];
    list.push({
      key: `${entityRef.split('/')[1]}/${name}-${i}`,
      name,
      project: null,
      description: null,
      type: lifetime === null ? 'kill-switch' : 'release',
      temporary: null,
      createdAt: created,
      createdBy: null,
      maintainer: null,
      owner: OWNERS[Math.floor(r() * OWNERS.length)],
      ownerSource: 'provider',
      environments: [],
      lastEvaluatedAt: null,
      evaluationKnown: false,
      changedAt: null,
      lifecycle: null,
      providerStale: false,
      tags: [],
      url: null,
      state,
      stateReason: state,
      staleAt,
    });
    byEntity.set(entityRef, list);
  }
  return byEntity;
}

/** The list's order: oldest first, then name by code point, then id. */
function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function listOrder(a: FlagRecord, b: FlagRecord): number {
  return (
    a.createdAt.getTime() - b.createdAt.getTime() ||
    byCodePoint(a.name, b.name) ||
    byCodePoint(a.id, b.id)
  );
}

describe('DatabaseFlagStore, the page API in SQL', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  /** The database of the store `seeded` made last. */
  let seededKnex: Knex;

  async function seeded(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    seededKnex = knex;
    const store = await DatabaseFlagStore.create({
      database: mockServices.database({ knex }),
    });
    for (const [i, [entityRef, flags]] of [
      ...fixture(22, 600).entries(),
    ].entries()) {
      // Two providers: the second simulated (the sandbox).
      const half = Math.floor(flags.length / 2);
      await store.recordRead({
        target: { entityRef, provider: 'unleash', ref: 'a', simulated: false },
        at: NOW,
        flags: flags.slice(0, half),
      });
      await store.recordRead({
        target: {
          entityRef,
          provider: 'sandbox',
          ref: `b${i}`,
          simulated: true,
        },
        at: NOW,
        flags: flags.slice(half),
      });
    }
    return store;
  }

  it.each(databases.eachSupportedId())(
    'counts the summary as summarizeFlags does over every flag, on %p',
    async databaseId => {
      const store = await seeded(databaseId);
      for (const refs of [
        ENTITIES,
        ENTITIES.slice(2, 5),
        [ENTITIES[6], 'component:default/unknown'],
        [],
      ]) {
        for (const now of [NOW, new Date(NOW.getTime() + 3.5 * DAY)]) {
          const bounds = flagSummaryBounds(now);
          const fromSql = summarizeFlagCounts(
            await store.countFlagSummary({ entityRefs: refs, bounds }),
            bounds,
          );
          const fromJs = summarizeFlags(await store.listFlagFacts(refs), now);
          expect(fromSql).toEqual(fromJs);
        }
      }
      // The fixture reaches every figure, so the comparison means something.
      const bounds = flagSummaryBounds(NOW);
      const all = summarizeFlagCounts(
        await store.countFlagSummary({ entityRefs: ENTITIES, bounds }),
        bounds,
      );
      expect(all.total).toBe(600);
      expect(all.simulated).toBeGreaterThan(200);
      expect(all.simulated).toBeLessThan(400);
      expect(all.ages.map(a => a.label)).toEqual(
        AGE_BUCKETS.map(([label]) => label),
      );
      for (const bucket of all.ages) expect(bucket.count).toBeGreaterThan(0);
      expect(all.teams).toHaveLength(OWNERS.length);
      expect(Object.keys(all.counts).sort()).toEqual([...FLAG_STATES].sort());
      expect(all.debt[0].stale).toBeGreaterThan(0);
      expect(all.debt[25].flags).toBeLessThan(600);
    },
  );

  it.each(databases.eachSupportedId())(
    'pages and filters as filtering and sorting every flag would, on %p',
    async databaseId => {
      const store = await seeded(databaseId);
      const every = await store.listFlags({});
      expect(every).toHaveLength(600);
      const queries: Array<{
        query: FlagQuery;
        keep: (f: FlagRecord) => boolean;
      }> = [
        { query: {}, keep: () => true },
        {
          query: { ownerKeys: ['ann.lee@example.com'] },
          keep: f => f.owner?.toLowerCase() === 'ann.lee@example.com',
        },
        {
          query: { ownerKeys: ['équipe@example.com', 'group:default/team-b'] },
          keep: f =>
            ['équipe@example.com', 'group:default/team-b'].includes(
              f.owner?.toLowerCase() ?? '',
            ),
        },
        {
          query: {
            entityRefs: ENTITIES.slice(1, 4),
            states: ['stale', 'due_soon'],
          },
          keep: f =>
            ENTITIES.slice(1, 4).includes(f.entityRef) &&
            ['stale', 'due_soon'].includes(f.state),
        },
        { query: { entityRefs: [] }, keep: () => false },
      ];
      for (const { query, keep } of queries) {
        const expected = every.filter(keep).sort(listOrder);
        const counts: Record<string, number> = {};
        for (const f of expected) counts[f.state] = (counts[f.state] ?? 0) + 1;
        const pages: FlagRecord[] = [];
        for (let offset = 0; ; offset += 37) {
          const page = await store.pageFlags({ ...query, limit: 37, offset });
          expect(page.counts).toEqual(counts);
          pages.push(...page.items);
          if (page.items.length < 37) break;
        }
        expect(pages.map(f => f.id)).toEqual(expected.map(f => f.id));
        expect(pages).toEqual(expected);
        expect(await store.listFlagEntityRefs(query)).toEqual(
          [...new Set(expected.map(f => f.entityRef))].sort(),
        );
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'refreshes the statistics the page queries are planned with, on %p',
    async databaseId => {
      const store = await seeded(databaseId);
      const knex = seededKnex;
      const postgres = databaseId.startsWith('POSTGRES');
      // PostgreSQL's estimate of the flags there are; SQLite has none.
      const tuples = async () =>
        postgres
          ? Number(
              (
                await knex.raw(
                  "SELECT reltuples FROM pg_class WHERE relname = 'flags' AND relkind = 'r' AND relnamespace = current_schema()::regnamespace",
                )
              ).rows[0].reltuples,
            )
          : null;
      const before = await tuples();
      await store.refreshStatistics();
      // Never analyzed (-1): planned as if empty; then the 600 flags.
      expect([before, await tuples()]).toEqual(
        postgres ? [-1, 600] : [null, null],
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'gives a page its keep decisions, on %p',
    async databaseId => {
      const store = await seeded(databaseId);
      const [first, second] = (await store.pageFlags({ limit: 2, offset: 0 }))
        .items;
      const keep = {
        reason: 'Kept for the rollback path',
        expiresAt: new Date('2027-01-15T00:00:00Z'),
        decidedBy: { kind: 'user' as const, ref: 'user:default/alice' },
        decidedAt: NOW,
      };
      await store.setKeep({
        entityRef: second.entityRef,
        provider: second.provider,
        flagKey: second.key,
        keep,
      });
      const page = await store.pageFlags({ limit: 2, offset: 0 });
      expect(page.items.map(f => [f.id, f.keep])).toEqual([
        [first.id, null],
        [second.id, keep],
      ]);
    },
  );
});
