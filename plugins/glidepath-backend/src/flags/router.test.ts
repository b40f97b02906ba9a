import { mockCredentials } from '@backstage/backend-test-utils';
import type { ObservedFlag } from '@glidepath/backstage-plugin-node';
import request from 'supertest';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';
import { FakeFlagProvider } from './__testUtils__/FakeFlagProvider';

const OWNER = 'user:default/owner';
const owner = mockCredentials.user.header(OWNER);
const STRANGER = 'user:default/stranger';
const stranger = mockCredentials.user.header(STRANGER);
const base = '/api/glidepath';
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

function observed(
  name: string,
  overrides: Partial<ObservedFlag> = {},
): ObservedFlag {
  return {
    key: `p/${name}`,
    name,
    type: 'release',
    createdAt: daysAgo(10),
    environments: [
      {
        environment: 'production',
        enabled: true,
        lastEvaluatedAt: daysAgo(0.01),
      },
    ],
    tags: [],
    archived: false,
    ...overrides,
  };
}

async function setup() {
  const flags = new FakeFlagProvider('fake-flags');
  flags.flags.set('checkout', [
    observed('new-cart'),
    observed('old-banner', { createdAt: daysAgo(60) }),
    observed('kill-payments', { type: 'kill-switch', createdAt: daysAgo(300) }),
  ]);
  flags.flags.set('payments', [
    observed('split-pay', { createdAt: daysAgo(50) }),
  ]);
  const harness = await startGlidepathTestBackend({
    providers: [],
    flagProviders: [flags],
    entities: [
      component('checkout', 'team-cart', {
        'glidepath.dev/flags': 'fake-flags:checkout, nocolon, other:x',
      }),
      component('payments', 'team-pay', {
        'glidepath.dev/flags': 'fake-flags:payments',
      }),
      // One owner the catalog names; team-cart it does not have.
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-pay', title: 'Payments' },
        spec: { type: 'team', children: [] },
      },
    ],
    // The stranger may read checkout but not payments, and steer nothing.
    readable: (user, entityRef) =>
      user !== STRANGER || entityRef === 'component:default/checkout',
    allow: (user, _resource, permission) =>
      permission === 'glidepath.release.control' ? user === OWNER : true,
  });
  running.push(harness.stop);
  await harness.syncFlags();
  const get = (path: string, auth = owner) =>
    request(harness.server).get(`${base}${path}`).set('Authorization', auth);
  const post = (path: string, body: object, auth = owner) =>
    request(harness.server)
      .post(`${base}${path}`)
      .set('Authorization', auth)
      .send(body);
  const checkout = async (auth = owner) =>
    (await get('/entities/component/default/checkout/flags', auth)).body;
  const idOf = async (name: string) =>
    (await checkout()).flags.find((f: { name: string }) => f.name === name).id;
  return { ...harness, flags, get, post, checkout, idOf };
}

describe('the flags API', () => {
  it("gives an entity's flags with their states, sources and annotation problems", async () => {
    const h = await setup();
    const res = await h.get('/entities/component/default/checkout/flags');
    expect(res.status).toBe(200);
    expect(
      res.body.flags.map((f: any) => [
        f.name,
        f.state,
        f.owner,
        f.ageDays,
        f.inventoryStale,
      ]),
    ).toEqual([
      ['kill-payments', 'permanent', 'group:default/team-cart', 300, false],
      ['old-banner', 'stale', 'group:default/team-cart', 60, false],
      ['new-cart', 'fresh', 'group:default/team-cart', 10, false],
    ]);
    expect(res.body.sources).toEqual([
      expect.objectContaining({
        provider: 'fake-flags',
        ref: 'checkout',
        canArchive: true,
        error: null,
      }),
      expect.objectContaining({
        provider: 'other',
        ref: 'x',
        error: expect.stringContaining('no flag provider "other" is installed'),
      }),
    ]);
    expect(res.body.problems).toEqual([
      expect.objectContaining({
        annotation: 'glidepath.dev/flags',
        value: 'nocolon',
      }),
    ]);
    expect((await h.get('/entities/component/default/nope/flags')).status).toBe(
      404,
    );
    expect(
      (await h.get('/entities/component/default/payments/flags', stranger))
        .status,
    ).toBe(404);
  });

  it('lists the flags the caller may read, by owner, entity and state', async () => {
    const h = await setup();
    const names = async (qs: string, auth = owner) => {
      const res = await h.get(`/flags${qs}`, auth);
      expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
      return res.body.items.map((f: any) => f.name);
    };
    expect(await names('')).toEqual([
      'kill-payments',
      'old-banner',
      'split-pay',
      'new-cart',
    ]);
    expect(await names('', stranger)).toEqual([
      'kill-payments',
      'old-banner',
      'new-cart',
    ]);
    expect(
      await names(`?owner=${encodeURIComponent('group:default/team-pay')}`),
    ).toEqual(['split-pay']);
    expect(await names('?owner=team-pay&owner=team-cart&state=stale')).toEqual([
      'old-banner',
      'split-pay',
    ]);
    expect(await names('?entity=payments')).toEqual(['split-pay']);
    expect(await names('?state=stale', stranger)).toEqual(['old-banner']);
    const page = await h.get('/flags?limit=1&offset=1');
    expect(page.body).toMatchObject({
      total: 4,
      counts: { permanent: 1, stale: 2, fresh: 1 },
      items: [expect.objectContaining({ name: 'old-banner' })],
      offset: 1,
      limit: 1,
      nextOffset: 2,
    });
    // The pages one after the other give the list, then say it ends.
    const pages = [];
    for (let offset: number | null = 0; offset !== null; ) {
      const res = await h.get(`/flags?limit=3&offset=${offset}`, stranger);
      expect(res.body.total).toBe(3);
      pages.push(...res.body.items.map((f: any) => f.name));
      offset = res.body.nextOffset;
    }
    expect(pages).toEqual(['kill-payments', 'old-banner', 'new-cart']);
    expect((await h.get('/flags?offset=10')).body).toMatchObject({
      items: [],
      total: 4,
      nextOffset: null,
    });
    // An owner matches whatever its case.
    expect(await names('?owner=Team-Pay')).toEqual(['split-pay']);
    const badLimit = await h.get('/flags?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toContain('limit');

    const badState = await h.get('/flags?state=rotten');
    expect(badState.status).toBe(400);
    expect(badState.body.error.message).toContain('state');
    const badEntity = await h.get(
      `/flags?entity=${encodeURIComponent('not a ref')}`,
    );
    expect(badEntity.status).toBe(400);
    expect(badEntity.body.error.message).toContain(
      'entity "not a ref" is not an entity reference',
    );
  });

  it('sums up the flags the caller may read for the portal page', async () => {
    const h = await setup();
    const all = (await h.get('/flags/summary')).body;
    expect(all).toMatchObject({
      total: 4,
      counts: { stale: 2, fresh: 1, permanent: 1 },
      teams: [
        { owner: 'group:default/team-cart', title: null, stale: 1, total: 3 },
        {
          owner: 'group:default/team-pay',
          title: 'Payments',
          stale: 1,
          total: 1,
        },
      ],
    });
    expect(all.debt).toHaveLength(26);
    expect(all.debt[25]).toMatchObject({ flags: 4, stale: 2 });
    const theirs = (await h.get('/flags/summary', stranger)).body;
    expect(theirs.total).toBe(3);
    expect(theirs.teams.map((t: any) => t.owner)).toEqual([
      'group:default/team-cart',
    ]);
  });

  it('gives the share of new features behind flags, of the deployments the caller may read', async () => {
    const h = await setup();
    const deployment = (
      id: string,
      entityRef: string,
      deployedDaysAgo: number,
      firstCommitDaysAgo: number,
    ) => ({
      id,
      entityRef,
      environment: 'production',
      version: `1.0.${id.length}`,
      deployedAt: daysAgo(deployedDaysAgo).toISOString(),
      firstCommitAt: daysAgo(firstCommitDaysAgo).toISOString(),
    });
    const posted = await request(h.server)
      .post(`${base}/events/deployments`)
      .set('Authorization', mockCredentials.service.header())
      .send({
        events: [
          // new-cart was made 10 days ago, during this change: behind a flag.
          deployment('d1', 'component:default/checkout', 5, 12),
          deployment('d22', 'component:default/checkout', 1, 3),
          deployment('d333', 'component:default/payments', 2, 4),
        ],
      });
    expect(posted.status).toBeLessThan(300);
    const all = await h.get('/flags/coverage');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      target: 0.8,
      organisation: { releases: 3, behindFlags: 1, share: 1 / 3 },
      teams: [
        // Each team named as the catalog has it, where it has a name.
        {
          owner: 'group:default/team-pay',
          title: 'Payments',
          releases: 1,
          behindFlags: 0,
          share: 0,
        },
        {
          owner: 'group:default/team-cart',
          title: null,
          releases: 2,
          behindFlags: 1,
          share: 0.5,
        },
      ],
    });
    expect(
      (await h.get('/flags/coverage', stranger)).body.organisation,
    ).toEqual({
      releases: 2,
      behindFlags: 1,
      share: 0.5,
    });
    const backwards = await h.get(
      '/flags/coverage?from=2026-12-01&to=2026-11-01',
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('is not before to');
    const bad = await h.get('/flags/coverage?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('from "yesterday" is not a date');
  });

  it('keeps a flag with a reason and an expiry, for whoever may steer the releases, audited', async () => {
    const h = await setup();
    const id = await h.idOf('old-banner');
    const path = `/entities/component/default/checkout/flags/${id}/keep`;
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();

    const refused = await h.post(path, { reason: 'mine', expiresAt }, stranger);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'You are not allowed to keep flags of component:default/checkout',
    );

    const kept = await h.post(path, {
      reason: 'Needed for the holiday rollback',
      expiresAt,
    });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({
      name: 'old-banner',
      state: 'stale',
      keep: {
        reason: 'Needed for the holiday rollback',
        expiresAt,
        expired: false,
        decidedBy: { kind: 'user', ref: OWNER },
      },
    });
    // Still kept after the next sync; and the action is listed.
    await h.syncFlags();
    const entity = await h.checkout();
    expect(entity.flags.find((f: any) => f.id === id).keep.reason).toBe(
      'Needed for the holiday rollback',
    );
    expect(entity.actions).toEqual([
      expect.objectContaining({
        action: 'keep',
        status: 'succeeded',
        flagName: 'old-banner',
      }),
    ]);
    expect(
      h.auditEvents.filter(e => e.eventId === 'flag-keep').map(e => e.outcome),
    ).toEqual(['fail', 'success']);

    const past = await h.post(path, {
      reason: 'x',
      expiresAt: new Date(Date.now() - DAY).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toContain('expiresAt');
    const far = await h.post(path, {
      reason: 'x',
      expiresAt: new Date(Date.now() + 400 * DAY).toISOString(),
    });
    expect(far.status).toBe(400);
    expect(far.body.error.message).toContain('more than a year ahead');
    const blank = await h.post(path, { reason: '   ', expiresAt });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toContain('reason');
    const noReason = await h.post(path, { expiresAt });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('reason');
    const unknown = await h.post(
      '/entities/component/default/checkout/flags/nope/keep',
      { reason: 'x', expiresAt },
    );
    expect(unknown.status).toBe(404);
  });

  it("archives a flag through its provider, or fails with the provider's reason", async () => {
    const h = await setup();
    const id = await h.idOf('old-banner');
    const path = `/entities/component/default/checkout/flags/${id}/archive`;

    expect((await h.post(path, { reason: 'stale' }, stranger)).status).toBe(
      403,
    );

    h.flags.archiveRefusal = new Error(
      'Unleash refused: the flag has dependent flags',
    );
    const refused = await h.post(path, { reason: 'Stale since October' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'old-banner was not archived: Unleash refused: the flag has dependent flags',
    );
    expect((await h.checkout()).actions[0]).toMatchObject({
      action: 'archive',
      status: 'failed',
      message: 'Unleash refused: the flag has dependent flags',
    });

    h.flags.archiveRefusal = undefined;
    const archived = await h.post(path, { reason: 'Stale since October' });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({
      action: 'archive',
      status: 'succeeded',
      flagName: 'old-banner',
      message: 'archived old-banner',
      actor: { kind: 'user', ref: OWNER },
    });
    expect(h.flags.archiveCalls.at(-1)).toMatchObject({
      flagKey: 'p/old-banner',
      reason: 'Stale since October',
    });
    const names = async () =>
      (await h.checkout()).flags.map((f: any) => f.name);
    expect(await names()).toEqual(['kill-payments', 'new-cart']);
    // The provider lists it as archived from now on: it stays gone.
    await h.syncFlags();
    expect(await names()).toEqual(['kill-payments', 'new-cart']);
    expect(
      h.auditEvents
        .filter(e => e.eventId === 'flag-archive')
        .map(e => e.outcome),
    ).toEqual(['fail', 'fail', 'success']);
  });

  it('keeps showing the last inventory of an unreachable provider, marked stale', async () => {
    const h = await setup();
    h.flags.listFailure = new Error('connect ECONNREFUSED 10.0.0.7:4242');
    await h.syncFlags();
    const entity = await h.checkout();
    expect(entity.flags).toHaveLength(3);
    expect(entity.flags.every((f: any) => f.inventoryStale)).toBe(true);
    expect(entity.sources[0].error).toBe(
      'The flag provider "fake-flags" failed: connect ECONNREFUSED 10.0.0.7:4242',
    );
  });
});
