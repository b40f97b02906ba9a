import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { DatabaseDoraStore } from './DatabaseDoraStore';
import type { DeploymentRecord } from './DoraStore';
import { deployment } from './store/__testUtils__/doraStoreTesting';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';
import { component } from '../__testUtils__/glidepathTestBackend';
import type { DoraReportFlags } from '@glidepath/backstage-plugin-common';
import {
  describeChanges,
  describeFlags,
  DoraWeeklyReports,
  WeeklyReportFlagsSection,
} from './DoraWeeklyReports';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
// Wednesday 25 November 2026: the last complete week is 16 to 23 November.
const NOW = new Date('2026-11-25T09:00:00Z');
const WEEK_START = Date.parse('2026-11-16T00:00:00Z');

function deploy(
  id: string,
  name: string,
  at: number,
  extra = {},
): DeploymentRecord {
  return deployment(id, 0, {
    entityRef: `component:default/${name}`,
    version: '1.0.0',
    deployedAt: new Date(at),
    firstCommitAt: new Date(at - 4 * HOUR),
    ...extra,
  });
}

describe('DoraWeeklyReports', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function setup(options: { flags?: WeeklyReportFlagsSection } = {}) {
    const knex = await databases.init('SQLITE_3');
    const releases = await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    const store = new DatabaseDoraStore(releases.client);
    const entities = [
      component('checkout-service', 'group:default/team-checkout', {}),
      component('cart-service', 'group:default/team-checkout', {}),
      component('ledger', 'user:default/someone', {}),
    ].map(entity => ({
      ...entity,
      relations: [{ type: 'ownedBy', targetRef: entity.spec!.owner as string }],
    }));
    const sent: NotificationSendOptions[] = [];
    const logger = mockServices.logger.mock();
    const reports = new DoraWeeklyReports({
      store,
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      notifications: { send: async n => void sent.push(n) },
      logger,
      backfillWeeks: 3,
      now: () => NOW,
      flags: options.flags,
    });
    return { store, reports, sent, logger };
  }

  it('writes each team its last week and the weeks before, once, and tells the team of the latest', async () => {
    const { store, reports, sent } = await setup();
    await store.recordDeployments([
      // the week before: one of two failed
      deploy('a', 'checkout-service', WEEK_START - 3 * 24 * HOUR),
      deploy('b', 'checkout-service', WEEK_START - 2 * 24 * HOUR, {
        outcome: 'rolled_back',
        finishedAt: new Date(WEEK_START - 2 * 24 * HOUR + HOUR),
      }),
      // the week: four, none failed, one with a long lead time
      deploy('c', 'checkout-service', WEEK_START + 24 * HOUR),
      deploy('d', 'cart-service', WEEK_START + 2 * 24 * HOUR),
      deploy('e', 'cart-service', WEEK_START + 3 * 24 * HOUR, {
        firstCommitAt: new Date(WEEK_START - 10 * 24 * HOUR),
      }),
      deploy('f', 'checkout-service', WEEK_START + 4 * 24 * HOUR),
    ]);

    expect(await reports.run()).toEqual({ written: 3, notified: 1 });
    // A second run (another replica, a restart) writes nothing.
    expect(await reports.run()).toEqual({ written: 0, notified: 0 });

    const list = await store.listReports({
      ownerRefs: ['group:default/team-checkout'],
      limit: 10,
    });
    expect(list.map(r => r.periodStart.toISOString())).toEqual([
      '2026-11-16T00:00:00.000Z',
      '2026-11-09T00:00:00.000Z',
      '2026-11-02T00:00:00.000Z',
    ]);
    const content = list[0].content as any;
    expect(content.summary).toMatchObject({
      deployments: 4,
      changeFailureRate: { failures: 0, rate: 0 },
    });
    expect(content.previous).toMatchObject({
      deployments: 2,
      changeFailureRate: { failures: 1, rate: 0.5 },
    });
    expect(content.changes.map((c: any) => [c.measure, c.trend])).toEqual([
      ['deploymentFrequency', 'better'],
      ['leadTime', 'same'],
      ['changeFailureRate', 'better'],
      ['recoveryTime', 'no-data'],
    ]);
    expect(content.services).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/cart-service',
        deployments: 2,
      }),
      expect.objectContaining({
        entityRef: 'component:default/checkout-service',
        deployments: 2,
      }),
    ]);
    expect(content.slowestLeadTimes[0]).toMatchObject({
      deploymentId: 'e',
      leadTimeMs: 13 * 24 * HOUR,
    });
    // Without the flags capability, no flags section.
    expect(content).not.toHaveProperty('flags');

    // Groups only: the user-owned ledger gets no report.
    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'group:default/team-checkout',
        },
        payload: expect.objectContaining({
          title: 'Release health, week of 2026-11-16: 4 deployments, 0% failed',
          description:
            'Deployment frequency better, change failure rate better than the week before.',
          link: `/glidepath/analytics/reports/${list[0].id}`,
          severity: 'low',
        }),
      },
    ]);
  });

  const flagsOf = (ownerRef: string, current: boolean): DoraReportFlags => ({
    inventoryReadAt: '2026-11-25T08:50:00.000Z',
    flags: 5,
    staleTotal: current ? 2 : 0,
    staleFlags: current
      ? [
          {
            entityRef: 'component:default/checkout-service',
            provider: 'unleash',
            key: 'checkout/old-banner',
            name: 'old-banner',
            staleAt: '2026-11-01T00:00:00.000Z',
            reason: 'old-banner is a release flag older than 40 days',
            dueAt: '2026-12-09T08:00:00.000Z',
            announced: true,
            keptUntil: null,
            keepReason: null,
          },
        ]
      : null,
    cleanup: 'archives',
    coverage: {
      target: 0.8,
      team: {
        releases: 4,
        behindFlags: ownerRef.endsWith('checkout') ? 1 : 0,
        share: 0.25,
      },
      organisation: { releases: 4, behindFlags: 1, share: 0.25 },
    },
  });

  it("adds the flags capability's section to each team's reports, today's stale flags to the week just ended only, and says so in the notification", async () => {
    const asked: Array<{ ownerRef: string; from: string; current: boolean }> =
      [];
    const { store, reports, sent } = await setup({
      flags: {
        forTeam: async ({ ownerRef, from, to, current }) => {
          expect(to.getTime() - from.getTime()).toBe(7 * 24 * HOUR);
          asked.push({ ownerRef, from: from.toISOString(), current });
          return flagsOf(ownerRef, current);
        },
      },
    });
    await store.recordDeployments([
      deploy('c', 'checkout-service', WEEK_START + 24 * HOUR),
    ]);
    expect(await reports.run()).toEqual({ written: 3, notified: 1 });
    expect(asked).toEqual([
      {
        ownerRef: 'group:default/team-checkout',
        from: '2026-11-16T00:00:00.000Z',
        current: true,
      },
      {
        ownerRef: 'group:default/team-checkout',
        from: '2026-11-09T00:00:00.000Z',
        current: false,
      },
      {
        ownerRef: 'group:default/team-checkout',
        from: '2026-11-02T00:00:00.000Z',
        current: false,
      },
    ]);
    const [latest, before] = await store.listReports({
      ownerRefs: ['group:default/team-checkout'],
      limit: 10,
    });
    expect((latest.content as any).flags).toEqual(
      flagsOf('group:default/team-checkout', true),
    );
    expect((before.content as any).flags.staleFlags).toBeNull();
    expect(sent[0].payload.description).toBe(
      'Deployment frequency better than the week before. 2 stale feature flags to clean up; 25% of 4 releases behind a flag (target 80%).',
    );
  });

  it('writes the report without the flags section when it cannot be read, and says why in the log', async () => {
    const { store, reports, logger } = await setup({
      flags: {
        forTeam: async () => {
          throw new Error('the flag inventory is unreachable');
        },
      },
    });
    expect(await reports.run()).toEqual({ written: 3, notified: 1 });
    const [latest] = await store.listReports({
      ownerRefs: ['group:default/team-checkout'],
      limit: 1,
    });
    expect(latest.content).not.toHaveProperty('flags');
    expect(latest.content).toHaveProperty('summary');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'group:default/team-checkout without its feature flags: the flag inventory is unreachable',
      ),
    );
  });

  it.each([
    [undefined, ''],
    [
      { staleTotal: 1, team: { releases: 1, behindFlags: 1, share: 1 } },
      '1 stale feature flag to clean up; 100% of 1 release behind a flag (target 80%).',
    ],
    [{ staleTotal: 0, team: { releases: 0, behindFlags: 0, share: null } }, ''],
    [
      { staleTotal: 3, team: { releases: 0, behindFlags: 0, share: null } },
      '3 stale feature flags to clean up.',
    ],
  ])('describes the flags section %j as %p', (patch, text) => {
    const flags = patch && {
      ...flagsOf('group:default/team-checkout', true),
      staleTotal: patch.staleTotal,
      coverage: {
        target: 0.8,
        team: patch.team,
        organisation: { releases: 9, behindFlags: 1, share: 1 / 9 },
      },
    };
    expect(describeFlags(flags)).toBe(text);
  });

  it.each([
    [[], 'No measure moved against the week before.'],
    [
      [{ measure: 'leadTime', current: 2, previous: 1, trend: 'worse' }],
      'Lead time worse than the week before.',
    ],
  ] as const)('describes %j as %p', (changes, text) => {
    expect(describeChanges([...changes])).toBe(text);
  });
});
