import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';

jest.setTimeout(60_000);

const owner = mockCredentials.user.header('user:default/owner');
const TEAM = 'group:default/team-cart';

/*
 * An entity names one rollout target per environment: the sync reads each,
 * records its releases in that environment, and the API serves each
 * environment's current release and a history per environment.
 */
describe('environments per entity', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    config = {},
  ) {
    const provider = new FakeRolloutProvider('sandbox');
    // Staging runs 2.4.0 (done); production goes 2.3.1 -> 2.4.0, canary at 25%.
    provider.setRelease('cart-staging', {
      providerReleaseId: 'cart-staging@2.4.0',
      version: '2.4.0',
      previousVersion: '2.3.1',
      phase: 'succeeded',
      canaryWeight: 100,
      currentStepIndex: null,
      // The provider's own idea of the environment is overridden by the
      // annotation's.
      environment: 'somewhere',
      startedAt: new Date('2026-11-27T09:00:00.000Z'),
      updatedAt: new Date('2026-11-27T09:10:00.000Z'),
      finishedAt: new Date('2026-11-27T09:10:00.000Z'),
    });
    provider.setRelease('cart-service', {
      providerReleaseId: 'cart-service@2.4.0',
      version: '2.4.0',
      previousVersion: '2.3.1',
      canaryWeight: 25,
    });
    // The single form keeps the provider's environment, as before.
    provider.setRelease('checkout', { environment: 'prod-eu' });
    const harness = await startGlidepathTestBackend({
      providers: [provider],
      databases,
      databaseId,
      config,
      entities: [
        component('cart', TEAM, {
          'glidepath.dev/rollout':
            'production=sandbox:cart-service; staging=sandbox:cart-staging',
        }),
        component('checkout', TEAM, {
          'glidepath.dev/rollout': 'sandbox:checkout',
        }),
        component('wishlist', TEAM, {
          'glidepath.dev/rollout':
            'qa=sandbox:wishlist-qa;production=sandbox:wishlist',
        }),
      ],
    });
    await harness.sync();
    return { ...harness, provider };
  }

  const summaryOf = async (server: any, name: string) => {
    const res = await request(server)
      .get(`/api/glidepath/entities/component/default/${name}`)
      .set('Authorization', owner);
    expect(res.status).toBe(200);
    return res.body;
  };

  it.each(databases.eachSupportedId())(
    "serves each environment's current release in promotion order, on %p",
    async databaseId => {
      const h = await setup(databaseId);
      try {
        const cart = await summaryOf(h.server, 'cart');
        expect(
          cart.environments.map((e: any) => ({
            name: e.name,
            production: e.production,
            target: `${e.provider}:${e.ref}`,
            version: e.current?.version,
            previousVersion: e.current?.previousVersion,
            phase: e.current?.phase,
            canaryWeight: e.current?.canaryWeight,
            environment: e.current?.environment,
          })),
        ).toEqual([
          {
            name: 'staging',
            production: false,
            target: 'sandbox:cart-staging',
            version: '2.4.0',
            previousVersion: '2.3.1',
            phase: 'succeeded',
            canaryWeight: 100,
            environment: 'staging',
          },
          {
            name: 'production',
            production: true,
            target: 'sandbox:cart-service',
            version: '2.4.0',
            previousVersion: '2.3.1',
            phase: 'progressing',
            canaryWeight: 25,
            environment: 'production',
          },
        ]);
        // The current release is production's, though staging's is newer
        // in the history.
        expect(cart.current.providerRef).toBe('cart-service@2.4.0');
        expect(cart.recent.map((r: any) => r.environment)).toEqual([
          'production',
          'staging',
        ]);
        expect(cart.problems).toEqual([]);
        expect(cart.provider).toMatchObject({ stale: false, error: null });

        // A single-form entity: the provider's own environment.
        const checkout = await summaryOf(h.server, 'checkout');
        expect(
          checkout.environments.map((e: any) => [
            e.name,
            e.production,
            e.provider,
            e.current?.environment,
          ]),
        ).toEqual([['prod-eu', true, 'sandbox', 'prod-eu']]);
        expect(checkout.current.environment).toBe('prod-eu');
      } finally {
        await h.stop();
      }
    },
  );

  it("gives the graph's nodes every environment's version, in promotion order", async () => {
    const h = await setup('SQLITE_3');
    try {
      const res = await request(h.server)
        .get('/api/glidepath/graph')
        .set('Authorization', owner);
      expect(res.status).toBe(200);
      const cart = res.body.nodes.find(
        (n: any) => n.entityRef === 'component:default/cart',
      );
      expect(
        cart.deployments.map((d: any) => [
          d.environment,
          d.version,
          d.releasingVersion,
        ]),
      ).toEqual([
        ['staging', '2.4.0', null],
        ['production', '2.3.1', '2.4.0'],
      ]);
    } finally {
      await h.stop();
    }
  });

  it('reports an unknown environment on the entity naming it, and syncs the others', async () => {
    const h = await setup('SQLITE_3');
    try {
      h.provider.setRelease('wishlist');
      h.provider.setRelease('wishlist-qa');
      await h.sync();
      const wishlist = await summaryOf(h.server, 'wishlist');
      expect(wishlist.problems).toEqual([
        {
          annotation: 'glidepath.dev/rollout',
          value: 'qa=sandbox:wishlist-qa',
          message: expect.stringContaining(
            '"qa" is not one of the organisation\'s environments (staging, production',
          ),
        },
      ]);
      expect(wishlist.environments.map((e: any) => e.name)).toEqual([
        'production',
      ]);
      expect(wishlist.recent.map((r: any) => r.providerRef)).toEqual([
        'wishlist@2',
      ]);
    } finally {
      await h.stop();
    }
  });

  it('takes the environments and their order from config', async () => {
    const h = await setup('SQLITE_3', {
      glidepath: {
        environments: [
          { name: 'qa' },
          { name: 'staging' },
          { name: 'production', production: true },
        ],
      },
    });
    try {
      h.provider.setRelease('wishlist');
      h.provider.setRelease('wishlist-qa');
      await h.sync();
      const wishlist = await summaryOf(h.server, 'wishlist');
      expect(wishlist.problems).toEqual([]);
      expect(
        wishlist.environments.map((e: any) => [e.name, e.current?.providerRef]),
      ).toEqual([
        ['qa', 'wishlist-qa@2'],
        ['production', 'wishlist@2'],
      ]);
    } finally {
      await h.stop();
    }
  });

  it.each(databases.eachSupportedId())(
    'filters the history by environment, with its cursor, on %p',
    async databaseId => {
      const h = await setup(databaseId);
      try {
        // Two more staging releases.
        for (const [i, version] of ['2.5.0', '2.6.0'].entries()) {
          h.provider.setRelease('cart-staging', {
            providerReleaseId: `cart-staging@${version}`,
            version,
            startedAt: new Date(`2026-11-27T1${i + 1}:00:00.000Z`),
            updatedAt: new Date(`2026-11-27T1${i + 1}:00:00.000Z`),
          });
          await h.sync();
        }
        const page = (query: string) =>
          request(h.server)
            .get(
              `/api/glidepath/entities/component/default/cart/releases?${query}`,
            )
            .set('Authorization', owner);
        const first = await page('environment=staging&limit=2');
        expect(first.status).toBe(200);
        expect(first.body.items.map((r: any) => r.version)).toEqual([
          '2.6.0',
          '2.5.0',
        ]);
        const second = await page(
          `environment=staging&limit=2&cursor=${encodeURIComponent(
            first.body.nextCursor,
          )}`,
        );
        expect(second.body.items.map((r: any) => r.version)).toEqual(['2.4.0']);
        expect(second.body.nextCursor).toBeNull();

        const production = await page('environment=production');
        expect(
          production.body.items.map((r: any) => [r.environment, r.version]),
        ).toEqual([['production', '2.4.0']]);
        expect((await page('')).body.items).toHaveLength(4);
        expect((await page('environment=nowhere')).body.items).toEqual([]);
        expect((await page('environment=')).status).toBe(400);
      } finally {
        await h.stop();
      }
    },
  );

  it("acts on a staging release through staging's target", async () => {
    const h = await setup('SQLITE_3');
    try {
      h.provider.setRelease('cart-staging', {
        providerReleaseId: 'cart-staging@2.5.0',
        version: '2.5.0',
        startedAt: new Date('2026-11-27T11:00:00.000Z'),
        updatedAt: new Date('2026-11-27T11:00:00.000Z'),
      });
      await h.sync();
      const cart = await summaryOf(h.server, 'cart');
      const staging = cart.environments[0].current;
      expect(staging.version).toBe('2.5.0');
      const res = await request(h.server)
        .post(`/api/glidepath/releases/${staging.id}/actions`)
        .set('Authorization', owner)
        .set('Idempotency-Key', 'rollback-staging')
        .send({ action: 'rollback', reason: 'try the rollback in staging' });
      expect(res.status).toBe(202);
      for (let i = 0; i < 100; i++) {
        const action = await request(h.server)
          .get(`/api/glidepath/actions/${res.body.id}`)
          .set('Authorization', owner);
        if (action.body.state === 'succeeded') break;
        expect(action.body.state).not.toBe('failed');
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(h.provider.actionCalls).toEqual([
        expect.objectContaining({
          action: 'rollback',
          providerReleaseId: 'cart-staging@2.5.0',
        }),
      ]);
      expect(
        (await summaryOf(h.server, 'cart')).environments[0].current,
      ).toMatchObject({ phase: 'rolled_back' });
    } finally {
      await h.stop();
    }
  });

  it('marks the entity stale naming the environment whose read failed', async () => {
    const h = await setup('SQLITE_3');
    try {
      h.provider.targetProblems.set('cart-staging', 'namespace not found');
      await h.sync();
      const cart = await summaryOf(h.server, 'cart');
      expect(cart.provider).toMatchObject({
        stale: true,
        error: 'staging: namespace not found',
      });
      // What was read before stays.
      expect(cart.environments[0].current.version).toBe('2.4.0');

      h.provider.targetProblems.clear();
      await h.sync();
      expect((await summaryOf(h.server, 'cart')).provider).toMatchObject({
        stale: false,
        error: null,
      });
    } finally {
      await h.stop();
    }
  });
});
