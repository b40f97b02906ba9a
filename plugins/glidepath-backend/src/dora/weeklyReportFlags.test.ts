import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { ObservedFlag } from '@glidepath/backstage-plugin-node';
import request from 'supertest';
import { startGlidepathTestBackend } from '../__testUtils__/glidepathTestBackend';
import { FakeFlagProvider } from '../flags/__testUtils__/FakeFlagProvider';

jest.setTimeout(60_000);

const DAY = 24 * 60 * 60 * 1000;
const user = mockCredentials.user.header('user:default/someone');
const service = mockCredentials.service.header();

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

function owned(name: string, team: string, flags?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: flags ? { 'glidepath.dev/flags': flags } : {},
    },
    spec: { type: 'service', lifecycle: 'production', owner: team },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
  };
}

function group(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  };
}

/** Monday 00:00 UTC of the last complete week. */
function lastWeekStart(now: number): number {
  const today = new Date(now);
  const midnight = Date.UTC(
    today.getUTCFullYear(),
    today.getUTCMonth(),
    today.getUTCDate(),
  );
  const sinceMonday = (today.getUTCDay() + 6) % 7;
  return midnight - sinceMonday * DAY - 7 * DAY;
}

async function weeklyReport(options: { flags: boolean }) {
  const now = Date.now();
  const weekStart = lastWeekStart(now);
  const at = (days: number) => new Date(weekStart + days * DAY);
  const provider = new FakeFlagProvider('fake-flags');
  const flag = (
    name: string,
    createdAt: Date,
    patch: Partial<ObservedFlag> = {},
  ): ObservedFlag => ({
    key: `p/${name}`,
    name,
    type: 'release',
    createdAt,
    environments: [
      { environment: 'production', enabled: true, lastEvaluatedAt: new Date() },
    ],
    tags: [],
    archived: false,
    ...patch,
  });
  provider.flags.set('checkout', [
    // Made during the week's first change of checkout: behind a flag.
    flag('new-cart', at(1.5)),
    flag('old-banner', new Date(now - 70 * DAY)),
  ]);
  const harness = await startGlidepathTestBackend({
    providers: [],
    flagProviders: options.flags ? [provider] : [],
    entities: [
      owned('checkout', 'team-cart', 'fake-flags:checkout'),
      owned('ledger', 'team-ledger'),
      group('team-cart'),
      group('team-ledger'),
    ],
  });
  running.push(harness.stop);
  const deployment = (id: string, entity: string, day: number) => ({
    id,
    entityRef: `component:default/${entity}`,
    environment: 'production',
    version: `1.0.${id.length}`,
    deployedAt: at(day).toISOString(),
    firstCommitAt: at(day - 1).toISOString(),
  });
  const posted = await request(harness.server)
    .post('/api/glidepath/events/deployments')
    .set('Authorization', service)
    .send({
      events: [
        deployment('c1', 'checkout', 2),
        deployment('c22', 'checkout', 4),
        deployment('l1', 'ledger', 3),
      ],
    });
  expect(posted.status).toBe(200);
  if (options.flags) {
    await harness.syncFlags();
    // The cleanup runs in its default dry run: it announces, sends nothing.
    await harness.runTask('glidepath-flag-cleanup');
  }
  await harness.runTask('glidepath-dora-weekly-report');
  const reportOf = async (team: string) => {
    const list = await request(harness.server)
      .get('/api/glidepath/dora/reports')
      .query({ owner: team })
      .set('Authorization', user);
    expect(list.status).toBe(200);
    const report = await request(harness.server)
      .get(`/api/glidepath/dora/reports/${list.body.items[0].id}`)
      .set('Authorization', user);
    expect(report.status).toBe(200);
    expect(report.body.periodStart).toBe(new Date(weekStart).toISOString());
    return report.body;
  };
  return { reportOf, harness, now };
}

describe("the weekly report's feature flags", () => {
  it("gives each team its stale flags with the day they are due and the week's share behind flags against 80%", async () => {
    const { reportOf, harness, now } = await weeklyReport({ flags: true });
    const cart = await reportOf('team-cart');
    expect(cart.flags).toEqual({
      inventoryReadAt: expect.any(String),
      flags: 2,
      staleTotal: 1,
      cleanup: 'dry_run',
      staleFlags: [
        {
          entityRef: 'component:default/checkout',
          provider: 'fake-flags',
          key: 'p/old-banner',
          name: 'old-banner',
          staleAt: expect.any(String),
          reason: expect.stringContaining('40 days'),
          dueAt: expect.any(String),
          announced: true,
          keptUntil: null,
          keepReason: null,
        },
      ],
      coverage: {
        target: 0.8,
        team: { releases: 2, behindFlags: 1, share: 0.5 },
        organisation: { releases: 3, behindFlags: 1, share: 1 / 3 },
      },
    });
    // Due after the default grace period of 14 days from its announcement.
    const dueInDays = (Date.parse(cart.flags.staleFlags[0].dueAt) - now) / DAY;
    expect(dueInDays).toBeGreaterThan(13.9);
    expect(dueInDays).toBeLessThan(14.1);

    const ledger = await reportOf('team-ledger');
    expect(ledger.flags).toEqual({
      inventoryReadAt: cart.flags.inventoryReadAt,
      flags: 0,
      staleTotal: 0,
      staleFlags: [],
      cleanup: 'dry_run',
      coverage: {
        target: 0.8,
        team: { releases: 1, behindFlags: 0, share: 0 },
        organisation: { releases: 3, behindFlags: 1, share: 1 / 3 },
      },
    });
    // The week's notification says it too.
    expect(
      harness.notifications.find(
        n =>
          n.recipients.type === 'entity' &&
          n.recipients.entityRef === 'group:default/team-cart' &&
          n.payload.topic === 'Glidepath weekly release report',
      )?.payload.description,
    ).toContain(
      '1 stale feature flag to clean up; 50% of 2 releases behind a flag (target 80%).',
    );
  });

  it('has no flags section without a flag provider', async () => {
    const { reportOf } = await weeklyReport({ flags: false });
    const cart = await reportOf('team-cart');
    expect(cart).not.toHaveProperty('flags');
    expect(cart.summary.deployments).toBe(2);
  });
});
