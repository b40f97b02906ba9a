import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { FlagTarget } from '@glidepath/backstage-plugin-node';
import { SandboxFlagProvider } from './SandboxFlagProvider';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-11-01T10:00:00Z');
const alice = { kind: 'user' as const, ref: 'user:default/alice' };

function target(name: string, ref = name): FlagTarget {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: { owner: 'team-a' },
  };
  return { entityRef: `component:default/${name}`, ref, entity };
}

async function listAll(
  provider: SandboxFlagProvider,
  targets: FlagTarget[],
  pageSize: number,
) {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await provider.listFlags({
      targets,
      cursor,
      pageSize,
      signal: new AbortController().signal,
    });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

describe('SandboxFlagProvider', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const database: DatabaseService = { getClient: async () => knex };
    let now = T0;
    const replica = () =>
      new SandboxFlagProvider({
        seed: 'shared',
        database,
        now: () => new Date(now),
      });
    return {
      replica,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'lists the flags of many targets a page at a time, labelled simulated, the same on every replica, on %p',
    async databaseId => {
      const { replica } = await setup(databaseId);
      const one = replica();
      const targets = [
        target('cart-service'),
        target('checkout', 'checkout?tags=cart'),
      ];
      const pages = await listAll(one, targets, 3);
      const flags = pages.flatMap(p =>
        p.items.flatMap(i =>
          'flags' in i ? i.flags.map(f => [i.entityRef, f.key]) : [],
        ),
      );
      const whole = (
        await one.listFlags({
          targets,
          pageSize: 1000,
          signal: new AbortController().signal,
        })
      ).items;
      expect(flags).toEqual(
        whole.flatMap(i =>
          'flags' in i ? i.flags.map(f => [i.entityRef, f.key]) : [],
        ),
      );
      expect(pages.length).toBe(Math.ceil(flags.length / 3));
      expect(one.simulated).toBe(true);
      expect(one.id).toBe('sandbox');

      const other = replica();
      expect(
        await other.listFlags({
          targets,
          pageSize: 1000,
          signal: new AbortController().signal,
        }),
      ).toEqual({ items: whole });
    },
  );

  it.each(databases.eachSupportedId())(
    'archives a flag for good, and refuses one still rolling out with the reason, on %p',
    async databaseId => {
      const { replica, advance } = await setup(databaseId);
      const one = replica();
      const t = target('cart-service');
      const flags = await one.flagsOf('cart-service');
      const archivable = flags.find(f => f.pattern !== 'rolling-out')!;
      const rolling = flags.find(f => f.pattern === 'rolling-out')!;
      expect(archivable).toBeDefined();
      expect(rolling).toBeDefined();

      const request = {
        target: t,
        reason: 'Stale since October',
        actor: alice,
        signal: new AbortController().signal,
      };
      await expect(
        one.archiveFlag({ ...request, flagKey: archivable.key }),
      ).resolves.toEqual({
        message: `${archivable.name} archived (simulated)`,
      });
      await expect(
        one.archiveFlag({ ...request, flagKey: rolling.key }),
      ).rejects.toThrow(
        new RegExp(
          `refuses to archive ${rolling.name}: it is still on for \\d+% \\(gradual rollout\\) in production`,
        ),
      );
      await expect(
        one.archiveFlag({ ...request, flagKey: 'cart-service/nope' }),
      ).rejects.toThrow('The sandbox has no flag "cart-service/nope"');

      // Another replica, a day later, sees it archived; the rest is not.
      advance(24 * 60 * 60 * 1000);
      const listed = (
        await replica().listFlags({
          targets: [t],
          pageSize: 1000,
          signal: new AbortController().signal,
        })
      ).items[0];
      expect(
        'flags' in listed &&
          listed.flags.filter(f => f.archived).map(f => f.key),
      ).toEqual([archivable.key]);
      await expect(
        replica().archiveFlag({ ...request, flagKey: archivable.key }),
      ).resolves.toEqual({
        message: `${archivable.name} was already archived (simulated)`,
      });
    },
  );

  it('works without a database, in memory', async () => {
    const provider = new SandboxFlagProvider({
      seed: 'glidepath',
      now: () => new Date(T0),
    });
    const [flag] = (await provider.flagsOf('cart-service')).filter(
      f => f.pattern !== 'rolling-out',
    );
    await provider.archiveFlag({
      target: target('cart-service'),
      flagKey: flag.key,
      reason: 'r',
      actor: alice,
      signal: new AbortController().signal,
    });
    expect(
      (await provider.flagsOf('cart-service')).find(f => f.key === flag.key)
        ?.archived,
    ).toBe(true);
  });
});
