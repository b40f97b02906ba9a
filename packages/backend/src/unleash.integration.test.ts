import { mockCredentials } from '@backstage/backend-test-utils';
import glidepathUnleash from '@glidepath/backstage-plugin-backend-module-unleash';
import request from 'supertest';
// Test-only helpers of the sibling packages (not exported, never published):
// the backend harness of the Glidepath backend's tests, and the Unleash
// harness of the Unleash module's tests.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  component,
  startGlidepathTestBackend,
} from '../../../plugins/glidepath-backend/src/__testUtils__/glidepathTestBackend';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  describeWithUnleash,
  startUnleash,
  type RunningUnleash,
} from '../../../plugins/glidepath-backend-module-unleash/src/__testUtils__/unleashHarness';

jest.setTimeout(180_000);

const owner = mockCredentials.user.header('user:default/owner');
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

type FlagView = {
  id: string;
  name: string;
  state: string;
  inventoryStale?: boolean;
};

/**
 * Feature-flag governance end to end against a real Unleash (7.5.1, its
 * own process and PostgreSQL database, authentication on): the Glidepath
 * backend with the Unleash module reads an entity's flags
 * (`unleash:default?tags=cart`), judges their states, archives a stale one
 * in Unleash through the API, reports Unleash's refusal of another, and
 * keeps the last inventory, marked stale, when Unleash goes away.
 */
describeWithUnleash('feature flags with a real Unleash', () => {
  let unleash: RunningUnleash;
  let harness: Awaited<ReturnType<typeof startGlidepathTestBackend>>;

  beforeAll(async () => {
    unleash = await startUnleash();
    await unleash.createFlag({
      name: 'cart-redesign',
      type: 'release',
      createdAt: daysAgo(200),
      tags: ['simple:cart'],
    });
    await unleash.createFlag({
      name: 'cart-kill-switch',
      type: 'kill-switch',
      createdAt: daysAgo(300),
      tags: ['simple:cart'],
      enabledIn: ['production'],
    });
    await unleash.createFlag({
      name: 'cart-new-api',
      type: 'release',
      createdAt: daysAgo(5),
      tags: ['simple:cart'],
      enabledIn: ['development'],
    });
    await unleash.createFlag({
      name: 'cart-upsell',
      type: 'experiment',
      createdAt: daysAgo(100),
      tags: ['simple:cart'],
    });
    await unleash.createFlag({
      name: 'cart-upsell-banner',
      type: 'release',
      createdAt: daysAgo(3),
      tags: ['simple:cart'],
    });
    await unleash.addDependency('cart-upsell-banner', 'cart-upsell');
    await unleash.createFlag({
      name: 'payments-split',
      createdAt: daysAgo(90),
      tags: ['simple:payments'],
    });

    harness = await startGlidepathTestBackend({
      providers: [],
      features: [glidepathUnleash],
      entities: [
        component('checkout', 'group:default/team', {
          'glidepath.dev/flags': 'unleash:default?tags=cart',
        }),
      ],
      config: {
        glidepath: {
          unleash: { baseUrl: unleash.url, token: unleash.adminToken },
        },
      },
    });
    await harness.syncFlags();
  });

  afterAll(async () => {
    await harness?.stop();
    await unleash?.stop();
  });

  const path = '/api/glidepath/entities/component/default/checkout/flags';
  async function checkout() {
    const res = await request(harness.server)
      .get(path)
      .set('Authorization', owner);
    expect(res.status).toBe(200);
    return res.body as {
      flags: FlagView[];
      sources: Array<{ error?: string | null }>;
    };
  }
  const stateOf = async () =>
    Object.fromEntries((await checkout()).flags.map(f => [f.name, f.state]));
  const archive = async (name: string, reason: string) => {
    const flag = (await checkout()).flags.find(f => f.name === name)!;
    return request(harness.server)
      .post(`${path}/${flag.id}/archive`)
      .set('Authorization', owner)
      .send({ reason });
  };
  const archivedInUnleash = async (name: string) =>
    (
      await unleash.api(
        'GET',
        `/api/admin/search/features?archived=IS:true&query=${name}`,
      )
    ).features.some((f: { name: string }) => f.name === name);

  it("reads the entity's flags from Unleash and judges each", async () => {
    expect(await stateOf()).toEqual({
      'cart-redesign': 'stale',
      'cart-upsell': 'stale',
      'cart-kill-switch': 'permanent',
      'cart-new-api': 'fresh',
      'cart-upsell-banner': 'fresh',
    });
  });

  it('archives a stale flag in Unleash; it is gone from the inventory and stays gone', async () => {
    const res = await archive('cart-redesign', 'Stale since the summer');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      action: 'archive',
      status: 'succeeded',
      flagName: 'cart-redesign',
    });
    expect(await archivedInUnleash('cart-redesign')).toBe(true);
    expect(Object.keys(await stateOf())).not.toContain('cart-redesign');
    await harness.syncFlags();
    expect(Object.keys(await stateOf()).sort()).toEqual([
      'cart-kill-switch',
      'cart-new-api',
      'cart-upsell',
      'cart-upsell-banner',
    ]);
  });

  it("fails an archive Unleash refuses, with Unleash's reason", async () => {
    const res = await archive('cart-upsell', 'Experiment over');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `cart-upsell was not archived: Unleash at ${unleash.url} refused to archive the flag cart-upsell of project default: 403 Forbidden: You can not archive/delete this feature since other features depend on it.`,
    );
    expect(await archivedInUnleash('cart-upsell')).toBe(false);
    expect(Object.keys(await stateOf())).toContain('cart-upsell');
  });

  it('keeps the last inventory, marked stale with the reason, when Unleash cannot be reached', async () => {
    await unleash.stop();
    await harness.syncFlags();
    const entity = await checkout();
    expect(entity.flags.map(f => f.name).sort()).toEqual([
      'cart-kill-switch',
      'cart-new-api',
      'cart-upsell',
      'cart-upsell-banner',
    ]);
    expect(entity.flags.every(f => f.inventoryStale)).toBe(true);
    expect(entity.sources[0].error).toMatch(
      new RegExp(
        `Unleash at ${unleash.url} could not be reached \\(is glidepath.unleash.baseUrl right\\?\\)`,
      ),
    );
  });
});
