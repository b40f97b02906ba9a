import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { DemoBackend, startDemoBackend } from '../__testUtils__/demoBackend';
import { glidepathReleaseRollbackPermission } from '@glidepath/backstage-plugin-common';

jest.setTimeout(60_000);

const probePlugin = createBackendPlugin({
  pluginId: 'probe',
  register(reg) {
    reg.registerInit({
      deps: {
        router: coreServices.httpRouter,
        permissions: coreServices.permissions,
        httpAuth: coreServices.httpAuth,
      },
      async init({ router, permissions, httpAuth }) {
        const r = express.Router();
        r.get('/rollback/:kind/:namespace/:name', async (req, res, next) => {
          try {
            const { kind, namespace, name } = req.params;
            const [decision] = await permissions.authorize(
              [
                {
                  permission: glidepathReleaseRollbackPermission,
                  resourceRef: `${kind}:${namespace}/${name}`,
                },
              ],
              { credentials: await httpAuth.credentials(req) },
            );
            res.json({ allowed: decision.result === AuthorizeResult.ALLOW });
          } catch (error) {
            next(error);
          }
        });
        router.use(r);
      },
    });
  },
});

describe('the demo policy, enforced by the real auth, catalog and permission backends', () => {
  let demo: DemoBackend;

  beforeAll(async () => {
    demo = await startDemoBackend([probePlugin]);
  }, 120_000);

  // checkout-service is owned by team-checkout, payments-gateway by
  // team-payments; elena.petrova is in release-admins.
  const cases: Array<[string, string, string, boolean]> = [
    ['owner member', 'user:default/priya.nair', 'checkout-service', true],
    [
      'owner member, other service',
      'user:default/priya.nair',
      'payments-gateway',
      false,
    ],
    ['other team', 'user:default/jonas.weber', 'checkout-service', false],
    [
      'other team, own service',
      'user:default/jonas.weber',
      'payments-gateway',
      true,
    ],
    ['admin', 'user:default/elena.petrova', 'checkout-service', true],
    ['admin', 'user:default/elena.petrova', 'payments-gateway', true],
    ['guest (team-checkout)', 'user:default/guest', 'checkout-service', true],
    ['guest (team-checkout)', 'user:default/guest', 'payments-gateway', false],
  ];

  it.each(cases)(
    '%s: %s may refresh %s in the catalog: %s',
    async (_who, user, name, allowed) => {
      const res = await request(demo.server)
        .post('/api/catalog/refresh')
        .set('Authorization', await demo.asUser(user))
        .send({ entityRef: `component:default/${name}` });
      expect(res.status).toBe(allowed ? 200 : 403);
    },
  );

  it.each(cases)(
    '%s: %s may roll back %s (a Glidepath-shaped permission): %s',
    async (_who, user, name, allowed) => {
      const res = await request(demo.server)
        .get(`/api/probe/rollback/component/default/${name}`)
        .set('Authorization', await demo.asUser(user));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ allowed });
    },
  );

  it('everyone signed in may read every entity', async () => {
    for (const user of ['user:default/guest', 'user:default/jonas.weber']) {
      const res = await request(demo.server)
        .get('/api/catalog/entities/by-name/component/default/checkout-service')
        .set('Authorization', await demo.asUser(user));
      expect(res.status).toBe(200);
    }
  });

  it('deleting an entity needs ownership too, and a refused delete changes nothing', async () => {
    const entities = await demo.fetchAllEntities();
    const uid = entities.find(e => e.metadata.name === 'payouts-batch')!
      .metadata.uid!;
    const denied = await request(demo.server)
      .delete(`/api/catalog/entities/by-uid/${uid}`)
      .set('Authorization', await demo.asUser('user:default/guest'));
    expect(denied.status).toBe(403);
    const still = await request(demo.server)
      .get('/api/catalog/entities/by-name/component/default/payouts-batch')
      .set('Authorization', await demo.asUser('user:default/guest'));
    expect(still.status).toBe(200);

    const allowed = await request(demo.server)
      .delete(`/api/catalog/entities/by-uid/${uid}`)
      .set('Authorization', await demo.asUser('user:default/amara.okafor'));
    expect(allowed.status).toBe(204);
  });
});
