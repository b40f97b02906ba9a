import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { DatabaseDoraStore } from './DatabaseDoraStore';
import type { DeploymentRecord } from './DoraStore';
import { deployment } from './store/__testUtils__/doraStoreTesting';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';
import { component } from '../__testUtils__/glidepathTestBackend';
import { describeChanges, DoraWeeklyReports } from './DoraWeeklyReports';

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

  async function setup() {
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
    const reports = new DoraWeeklyReports({
      store,
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      notifications: { send: async n => void sent.push(n) },
      logger: mockServices.logger.mock(),
      backfillWeeks: 3,
      now: () => NOW,
    });
    return { store, reports, sent };
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
