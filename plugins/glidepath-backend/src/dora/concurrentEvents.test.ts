import {
  mockCredentials,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';
import {
  deployment,
  setupStore,
  T,
} from './store/__testUtils__/doraStoreTesting';

jest.setTimeout(120_000);

const ci = mockCredentials.service.header();
const user = mockCredentials.user.header('user:default/priya');

const HOUR = 3_600_000;
const NOW = Date.now();
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();
const CHECKOUT = 'component:default/checkout-service';

const entities: Entity[] = [
  {
    ...component('checkout-service', 'group:default/team-checkout', {}),
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
  },
];

const deploy = (id: string, hoursAgo: number) => ({
  id,
  entityRef: 'checkout-service',
  environment: 'production',
  version: `1.0.${hoursAgo}`,
  deployedAt: at(hoursAgo),
  firstCommitAt: at(hoursAgo + 5),
});

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

describe('DORA events sent concurrently', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const harness = await startGlidepathTestBackend({
      providers: [],
      entities,
      knex,
    });
    running.push(harness.stop);
    const post = (type: 'deployments' | 'incidents', body: object) =>
      request(harness.server)
        .post(`/api/glidepath/events/${type}`)
        .set('Authorization', ci)
        .send(body);
    const dora = (query: Record<string, string>) =>
      request(harness.server)
        .get('/api/glidepath/dora')
        .query(query)
        .set('Authorization', user);
    return { knex, post, dora };
  }

  /** The organisation's DORA answer counts each event once. */
  async function expectOrganisation(
    dora: Awaited<ReturnType<typeof setup>>['dora'],
    deployments: number,
    failures: number,
  ) {
    const org = await dora({});
    expect(org.status).toBe(200);
    expect(org.body.summary).toMatchObject({
      deployments,
      changeFailureRate: { failures, deployments },
    });
  }

  /** Each id's statuses over the answers, which must all be 200. */
  function statusesById(answers: request.Response[]) {
    const byId: Record<string, string[]> = {};
    for (const answer of answers) {
      expect({ status: answer.status, error: answer.body.error }).toEqual({
        status: 200,
      });
      for (const { id, status } of answer.body.results) {
        (byId[id] ??= []).push(status);
      }
    }
    return byId;
  }

  it.each(databases.eachSupportedId())(
    'creates a new event once when 20 requests carry it at once (%p)',
    async databaseId => {
      const { knex, post, dora } = await setup(databaseId);
      // History the new events join, so that each request re-derives it.
      expect(
        (
          await post('deployments', {
            events: [deploy('d0', 40), deploy('d1', 30)],
          })
        ).status,
      ).toBe(200);

      const d2 = deploy('d2', 20);
      const deployments = await Promise.all(
        Array.from({ length: 20 }, () => post('deployments', d2)),
      );
      const incident = {
        id: 'PD-1',
        entityRef: 'checkout-service',
        openedAt: at(18),
        resolvedAt: at(17),
        title: 'Checkout 500s',
      };
      const incidents = await Promise.all(
        Array.from({ length: 20 }, () => post('incidents', incident)),
      );

      for (const [answers, id] of [
        [deployments, 'd2'],
        [incidents, 'PD-1'],
      ] as const) {
        const statuses = statusesById(answers)[id];
        expect(statuses.filter(s => s === 'created')).toHaveLength(1);
        expect(statuses.filter(s => s !== 'created')).toEqual(
          Array(19).fill('unchanged'),
        );
      }

      const [stored] = await knex('dora_deployments').where('event_id', 'd2');
      expect({
        entityRef: stored.entity_ref,
        version: stored.version,
        deployedAt: new Date(stored.deployed_at).toISOString(),
        firstCommitAt: new Date(stored.first_commit_at).toISOString(),
        leadTimeMs: Number(stored.lead_time_ms),
        failed: Boolean(stored.failed),
      }).toEqual({
        entityRef: CHECKOUT,
        version: d2.version,
        deployedAt: d2.deployedAt,
        firstCommitAt: d2.firstCommitAt,
        leadTimeMs: 5 * HOUR,
        failed: true,
      });
      const [opened] = await knex('dora_incidents').where('event_id', 'PD-1');
      expect({
        entityRef: opened.entity_ref,
        title: opened.title,
        openedAt: new Date(opened.opened_at).toISOString(),
        resolvedAt: new Date(opened.resolved_at).toISOString(),
        attributedTo: opened.attributed_to,
      }).toEqual({
        entityRef: CHECKOUT,
        title: incident.title,
        openedAt: incident.openedAt,
        resolvedAt: incident.resolvedAt,
        attributedTo: 'd2',
      });

      const res = await dora({ entity: 'checkout-service' });
      expect(res.status).toBe(200);
      expect(res.body.summary).toMatchObject({
        deployments: 3,
        leadTime: { count: 3, medianMs: 5 * HOUR },
        changeFailureRate: { failures: 1, deployments: 3 },
      });
      await expectOrganisation(dora, 3, 1);
    },
  );

  it.each(databases.eachSupportedId())(
    'creates each event once when batches that overlap in part arrive at once (%p)',
    async databaseId => {
      const { knex, post, dora } = await setup(databaseId);
      // Ten batches of 30 deployments, each sharing 20 with the next.
      const all = Array.from({ length: 120 }, (_, i) =>
        deploy(`d${i}`, 200 - i),
      );
      const batches = Array.from({ length: 10 }, (_, b) =>
        // Alternate the order, so that two batches meet their common ids
        // in opposite orders.
        b % 2
          ? all.slice(b * 10, b * 10 + 30).reverse()
          : all.slice(b * 10, b * 10 + 30),
      );
      const deployments = await Promise.all(
        batches.map(events => post('deployments', { events })),
      );
      const incidentBatches = batches.map(events =>
        events.map(d => ({
          id: `PD-${d.id}`,
          entityRef: 'checkout-service',
          openedAt: at(200 - Number(d.id.slice(1)) - 0.5),
          deploymentId: d.id,
        })),
      );
      const incidents = await Promise.all(
        incidentBatches.map(events => post('incidents', { events })),
      );

      for (const [answers, prefix] of [
        [deployments, 'd'],
        [incidents, 'PD-d'],
      ] as const) {
        const byId = statusesById(answers);
        expect(Object.keys(byId).sort()).toEqual(
          all.map(d => `${prefix}${d.id.slice(1)}`).sort(),
        );
        for (const statuses of Object.values(byId)) {
          expect(statuses.filter(s => s === 'created')).toHaveLength(1);
          expect(statuses.filter(s => s !== 'created')).toEqual(
            Array(statuses.length - 1).fill('unchanged'),
          );
        }
      }

      const rows = await knex('dora_deployments').select(
        'event_id',
        'failed',
        'failure_rule',
      );
      expect(rows).toHaveLength(120);
      // Every deployment is failed by its own linked incident.
      expect(
        rows.filter(r => !r.failed || r.failure_rule !== 'linked-incident'),
      ).toEqual([]);
      const attributed = await knex('dora_incidents').select(
        'event_id',
        'attributed_to',
      );
      expect(attributed).toHaveLength(120);
      expect(
        attributed.filter(i => i.attributed_to !== i.event_id.slice(3)),
      ).toEqual([]);

      await expectOrganisation(dora, 120, 120);
    },
  );

  it.each(databases.eachSupportedId())(
    'derives from events of one entity sent at once, as if one came after the other (%p)',
    async databaseId => {
      const { store } = await setupStore(databases, databaseId);
      const rounds = Array.from({ length: 10 }, (_, round) => round);
      for (const round of rounds) {
        await store.recordDeployments([
          deployment(`a${round}`, 10, {
            entityRef: `component:default/e${round}`,
          }),
        ]);
      }
      // A deployment and an incident after it arrive together: whichever
      // is written second must see the first.
      await Promise.all(
        rounds.flatMap(round => [
          store.recordDeployments([
            deployment(`b${round}`, 13, {
              entityRef: `component:default/e${round}`,
            }),
          ]),
          store.recordIncidents([
            {
              id: `I${round}`,
              entityRef: `component:default/e${round}`,
              openedAt: T(15),
              matched: true,
            },
          ]),
        ]),
      );
      const attributed = await Promise.all(
        rounds.map(
          async round => (await store.getIncident(`I${round}`))?.attributedTo,
        ),
      );
      expect(attributed).toEqual(rounds.map(round => `b${round}`));
      const facts = await store.listFacts({ from: T(0), to: T(24) });
      expect(
        facts
          .filter(f => f.failed)
          .map(f => f.id)
          .sort(),
      ).toEqual(rounds.map(round => `b${round}`).sort());
    },
  );
});
