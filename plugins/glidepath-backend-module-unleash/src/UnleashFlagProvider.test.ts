import type { Entity } from '@backstage/catalog-model';
import type {
  FlagPage,
  FlagTarget,
  ObservedFlag,
} from '@glidepath/backstage-plugin-node';
import type { Actor } from '@glidepath/backstage-plugin-common';
import { createServer, type AddressInfo } from 'node:net';
import {
  describeWithUnleash,
  startUnleash,
  type RunningUnleash,
} from './__testUtils__/unleashHarness';
import { UnleashFlagProvider } from './UnleashFlagProvider';

const DAY = 86_400_000;
const daysAgo = (days: number) =>
  new Date(Math.floor((Date.now() - days * DAY) / 1000) * 1000);

function target(name: string, ref: string): FlagTarget {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'glidepath.dev/flags': `unleash:${ref}` },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
  return { entityRef: `component:default/${name}`, ref, entity };
}

const signal = () => AbortSignal.timeout(30_000);

/** Reads every page, as Glidepath's sync does; returns the pages too. */
async function listAll(
  provider: UnleashFlagProvider,
  targets: FlagTarget[],
  pageSize: number,
) {
  const pages: FlagPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await provider.listFlags({
      targets,
      cursor,
      pageSize,
      signal: signal(),
    });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  const byTarget = new Map<string, ObservedFlag[] | string>();
  for (const item of pages.flatMap(p => p.items)) {
    const key = `${item.entityRef} ${item.ref}`;
    if ('error' in item) {
      byTarget.set(key, item.error);
    } else {
      const known = (byTarget.get(key) as ObservedFlag[] | undefined) ?? [];
      byTarget.set(key, [...known, ...item.flags]);
    }
  }
  return { pages, byTarget };
}

const flagsOf = (
  result: Awaited<ReturnType<typeof listAll>>,
  t: FlagTarget,
): ObservedFlag[] => {
  const value = result.byTarget.get(`${t.entityRef} ${t.ref}`);
  if (!Array.isArray(value)) throw new Error(`no flags for ${t.ref}: ${value}`);
  return value;
};

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}

const BULK = 130;
const CLEANUP: Actor = { kind: 'policy', ref: 'flag-cleanup' };

describeWithUnleash('UnleashFlagProvider against a real Unleash', () => {
  let unleash: RunningUnleash;
  let provider: UnleashFlagProvider;
  const created = {
    newFlow: daysAgo(200),
    abPrice: daysAgo(30),
    kill: daysAgo(400),
    bulk130: daysAgo(130),
  };

  beforeAll(async () => {
    unleash = await startUnleash();
    provider = new UnleashFlagProvider({
      baseUrl: unleash.url,
      token: unleash.adminToken,
      timeoutMs: 10_000,
    });
    await unleash.createFlag({
      name: 'checkout-new-flow',
      type: 'release',
      description: 'The one-page checkout',
      createdAt: created.newFlow,
      tags: ['simple:cart'],
      enabledIn: ['development', 'production'],
    });
    await unleash.createFlag({
      name: 'checkout-ab-price',
      type: 'experiment',
      createdAt: created.abPrice,
      tags: ['simple:cart', 'team:growth'],
      enabledIn: ['development'],
      stale: true,
    });
    await unleash.createFlag({
      name: 'payments-kill',
      type: 'kill-switch',
      createdAt: created.kill,
      tags: ['simple:payments'],
    });
    await unleash.createFlag({
      name: 'payments-beta-access',
      type: 'permission',
      tags: ['simple:payments'],
      enabledIn: ['production'],
    });
    await unleash.createFlag({
      name: 'ops-cache-warmup',
      type: 'operational',
      tags: ['team:platform'],
    });
    // checkout-ab-price depends on payments-kill: Unleash refuses to
    // archive payments-kill while it does.
    await unleash.addDependency('checkout-ab-price', 'payments-kill');
    for (let i = 1; i <= BULK; i++) {
      await unleash.createFlag({
        name: `bulk-${String(i).padStart(3, '0')}`,
        createdAt: i === BULK ? created.bulk130 : daysAgo(i),
      });
    }
    // Seen in development, a flag is pre-live; seen in production, live.
    // Then checkout-new-flow's team marks it completed (kept on), as in
    // Unleash's UI.
    await Promise.all([
      unleash.reportEvaluations('production', ['checkout-new-flow']),
      unleash.reportEvaluations('development', ['checkout-ab-price']),
    ]);
    await unleash.api(
      'POST',
      '/api/admin/projects/default/features/checkout-new-flow/lifecycle/complete',
      { status: 'kept', statusValue: 'on' },
    );
  }, 180_000);

  afterAll(() => unleash?.stop(), 60_000);

  it('lists the flags of many targets at once, as Unleash describes them', async () => {
    const cart = target('checkout', 'default?tags=cart');
    const payments = target('payments', 'default?tags=payments');
    const platform = target('platform', 'default?tags=team:platform');
    const nowhere = target('ghost', 'no-such-project');
    const malformed = target('typo', 'default?tag=cart');
    const result = await listAll(
      provider,
      [cart, payments, platform, nowhere, malformed],
      100,
    );

    expect(flagsOf(result, cart).map(f => f.name)).toEqual([
      'checkout-ab-price',
      'checkout-new-flow',
    ]);
    expect(flagsOf(result, payments).map(f => f.name)).toEqual([
      'payments-beta-access',
      'payments-kill',
    ]);
    expect(flagsOf(result, platform).map(f => f.name)).toEqual([
      'ops-cache-warmup',
    ]);
    expect(result.byTarget.get(`${nowhere.entityRef} ${nowhere.ref}`)).toBe(
      `Unleash at ${unleash.url} has no project "no-such-project"`,
    );
    expect(
      result.byTarget.get(`${malformed.entityRef} ${malformed.ref}`),
    ).toMatch(/^unleash:default\?tag=cart: "tag" is not a filter/);

    const [abPrice, newFlow] = flagsOf(result, cart);
    expect(newFlow).toEqual({
      key: 'checkout-new-flow',
      name: 'checkout-new-flow',
      project: 'default',
      description: 'The one-page checkout',
      type: 'release',
      createdAt: created.newFlow,
      createdBy: 'admin',
      environments: [
        {
          environment: 'development',
          type: 'development',
          enabled: true,
          lastEvaluatedAt: null,
          summary: 'on, by its strategies',
        },
        {
          environment: 'production',
          type: 'production',
          enabled: true,
          lastEvaluatedAt: expect.any(Date),
          summary: 'on, by its strategies',
        },
      ],
      lastEvaluatedAt: expect.any(Date),
      lifecycle: 'completed',
      providerStale: false,
      tags: ['simple:cart'],
      archived: false,
      url: `${unleash.url}/projects/default/features/checkout-new-flow`,
    });
    const seen = newFlow.environments[1].lastEvaluatedAt!.getTime();
    expect(Math.abs(Date.now() - seen)).toBeLessThan(5 * 60_000);

    expect(abPrice).toMatchObject({
      type: 'experiment',
      createdAt: created.abPrice,
      providerStale: true,
      lifecycle: 'pre-live',
      tags: expect.arrayContaining(['simple:cart', 'team:growth']),
      environments: [
        expect.objectContaining({
          environment: 'development',
          enabled: true,
          lastEvaluatedAt: expect.any(Date),
        }),
        expect.objectContaining({
          environment: 'production',
          enabled: false,
          servesEveryone: 'false',
          summary: 'off',
        }),
      ],
    });
    const [beta, kill] = flagsOf(result, payments);
    expect(kill).toMatchObject({
      type: 'kill-switch',
      createdAt: created.kill,
      lifecycle: 'initial',
    });
    expect(beta.type).toBe('permission');
  });

  it('reads a project of more than one page, each flag once', async () => {
    const everything = target('everything', 'default');
    const cart = target('checkout', 'default?tags=cart');
    const result = await listAll(provider, [everything, cart], 50);

    const total = BULK + 5;
    expect(result.pages.map(p => p.nextCursor)).toEqual([
      `50:${total}`,
      `100:${total}`,
      undefined,
    ]);
    const names = flagsOf(result, everything).map(f => f.name);
    expect(names).toHaveLength(total);
    expect(new Set(names).size).toBe(total);
    expect(names).toContain('bulk-001');
    expect(names).toContain('bulk-130');
    // Each page carries every target, with its flags on that page, and the
    // error of a target whose project does not exist.
    for (const page of result.pages) {
      expect(page.items.map(i => i.ref)).toEqual([
        'default',
        'default?tags=cart',
      ]);
    }
    expect(flagsOf(result, cart)).toHaveLength(2);
    const bulk = flagsOf(result, everything).find(f => f.name === 'bulk-130')!;
    expect(bulk.createdAt).toEqual(created.bulk130);

    // Unleash gives at most 100 a page, whatever Glidepath asks for.
    const big = await provider.listFlags({
      targets: [everything],
      pageSize: 1000,
      signal: signal(),
    });
    expect((big.items[0] as { flags: unknown[] }).flags).toHaveLength(100);
    expect(big.nextCursor).toBe(`100:${total}`);
  });

  it('fails a listing whose flags changed between pages, rather than skip one', async () => {
    const everything = target('everything', 'default');
    const first = await provider.listFlags({
      targets: [everything],
      pageSize: 50,
      signal: signal(),
    });
    await unleash.createFlag({ name: 'aaa-created-meanwhile' });
    await expect(
      provider.listFlags({
        targets: [everything],
        cursor: first.nextCursor,
        pageSize: 50,
        signal: signal(),
      }),
    ).rejects.toThrow(
      /changed while Glidepath read them page by page \(\d+ flags, then \d+\)/,
    );
    await unleash.api(
      'DELETE',
      '/api/admin/projects/default/features/aaa-created-meanwhile',
    );
  });

  it('archives a flag in Unleash, which then lists it no more', async () => {
    const platform = target('platform', 'default?tags=team:platform');
    const result = await provider.archiveFlag({
      target: platform,
      flagKey: 'ops-cache-warmup',
      reason: 'stale for 30 days, off everywhere',
      actor: CLEANUP,
      signal: signal(),
    });
    expect(result.message).toBe(
      `Archived ops-cache-warmup in Unleash at ${unleash.url} (project default); it can be revived from Unleash's archive`,
    );

    const after = await listAll(provider, [platform], 100);
    expect(flagsOf(after, platform)).toEqual([]);
    const archived = await unleash.api(
      'GET',
      '/api/admin/search/features?archived=IS:true&query=ops-cache-warmup',
    );
    expect(archived.features).toEqual([
      expect.objectContaining({
        name: 'ops-cache-warmup',
        archivedAt: expect.any(String),
      }),
    ]);

    // Asked again (a retry), it was already archived: Unleash accepts it.
    await expect(
      provider.archiveFlag({
        target: platform,
        flagKey: 'ops-cache-warmup',
        reason: 'retry',
        actor: CLEANUP,
        signal: signal(),
      }),
    ).resolves.toEqual(result);
  });

  it("fails an archive Unleash refuses, with Unleash's reason", async () => {
    const payments = target('payments', 'default?tags=payments');
    const archive = (flagKey: string, p = provider) =>
      p.archiveFlag({
        target: payments,
        flagKey,
        reason: 'stale',
        actor: CLEANUP,
        signal: signal(),
      });

    await expect(archive('payments-kill')).rejects.toThrow(
      `Unleash at ${unleash.url} refused to archive the flag payments-kill of project default: 403 Forbidden: You can not archive/delete this feature since other features depend on it.`,
    );

    const viewer = new UnleashFlagProvider({
      baseUrl: unleash.url,
      token: await unleash.createViewerToken(),
      timeoutMs: 10_000,
    });
    // A viewer may read the flags, but not archive them.
    const read = await listAll(viewer, [payments], 100);
    expect(flagsOf(read, payments)).toHaveLength(2);
    await expect(archive('payments-beta-access', viewer)).rejects.toThrow(
      new RegExp(
        `^Unleash at ${unleash.url} refused to archive the flag payments-beta-access of project default: 403 Forbidden: .*DELETE_FEATURE`,
      ),
    );

    await expect(archive('no-such-flag')).rejects.toThrow(
      `Unleash at ${unleash.url} has no flag no-such-flag in project default`,
    );

    const still = await listAll(provider, [payments], 100);
    expect(flagsOf(still, payments).map(f => f.name)).toEqual([
      'payments-beta-access',
      'payments-kill',
    ]);
  });

  it('says the token is refused when Unleash does not accept it', async () => {
    const refused = new UnleashFlagProvider({
      baseUrl: unleash.url,
      token: 'user:not-a-token',
      timeoutMs: 10_000,
    });
    await expect(
      refused.listFlags({
        targets: [target('checkout', 'default')],
        pageSize: 50,
        signal: signal(),
      }),
    ).rejects.toThrow(
      `Unleash at ${unleash.url} refused the token (glidepath.unleash.token) when asked to list its projects: 401 Unauthorized: You must log in to use Unleash.`,
    );
  });

  it('names the URL when Unleash cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = new UnleashFlagProvider({
      baseUrl: url,
      token: unleash.adminToken,
      timeoutMs: 10_000,
    });
    const request = {
      targets: [target('checkout', 'default')],
      pageSize: 50,
      signal: signal(),
    };
    await expect(unreachable.listFlags(request)).rejects.toThrow(
      new RegExp(
        `^Unleash at ${url} could not be reached \\(is glidepath.unleash.baseUrl right\\?\\): .*ECONNREFUSED`,
      ),
    );
  });
});
