import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';
import { waitForAction } from '../releases/__testUtils__/releaseApi';

const ADMIN = 'user:default/admin';
const OWNER = 'user:default/owner';
const admin = mockCredentials.user.header(ADMIN);
const owner = mockCredentials.user.header(OWNER);

/** A local time in UTC, `hours` from now, as the API takes it. */
function utcLocal(hours: number): string {
  return new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);
}

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'break-glass on the entity calendar (%s)',
  databaseId => {
    const stops: Array<() => Promise<void>> = [];
    afterEach(async () => {
      await Promise.all(stops.splice(0).map(stop => stop()));
    });

    async function start() {
      const provider = new FakeRolloutProvider();
      provider.setRelease('checkout');
      const harness = await startGlidepathTestBackend({
        databases,
        databaseId,
        providers: [provider],
        entities: [component('checkout', 'group:default/team-checkout')],
        allow: (user, _resource, permission) =>
          user === undefined ||
          user === ADMIN ||
          (user === OWNER && permission !== 'glidepath.freeze.override'),
      });
      stops.push(harness.stop);
      await harness.sync();
      const summary = await request(harness.server)
        .get('/api/glidepath/entities/component/default/checkout')
        .set('Authorization', owner);
      const window = await request(harness.server)
        .post('/api/glidepath/calendar/windows')
        .set('Authorization', admin)
        .set('Idempotency-Key', 'w1')
        .send({
          title: 'Migration',
          effect: 'deny',
          scope: { kind: 'entity', ref: 'component:default/checkout' },
          reason: 'The database is being migrated',
          timezone: 'UTC',
          start: utcLocal(-1),
          end: utcLocal(2),
        });
      expect(window.status).toBe(201);
      const calendar = async () => {
        const res = await request(harness.server)
          .get('/api/glidepath/entities/component/default/checkout/calendar')
          .set('Authorization', owner);
        expect(res.status).toBe(200);
        return res.body.environments as Array<{
          name: string;
          state: { closed: boolean };
          override?: unknown;
        }>;
      };
      return {
        ...harness,
        provider,
        release: summary.body.current as { id: string; version: string },
        windowId: window.body.id as string,
        calendar,
        promote: (key: string) =>
          request(harness.server)
            .post(`/api/glidepath/releases/${summary.body.current.id}/actions`)
            .set('Authorization', owner)
            .set('Idempotency-Key', key)
            .send({ action: 'promote', reason: 'test' }),
        override: (who: string, body: object) =>
          request(harness.server)
            .post(
              `/api/glidepath/releases/${summary.body.current.id}/freeze-override`,
            )
            .set('Authorization', who)
            .send(body),
      };
    }

    it("shows the override on the environment's release once the glass is broken, and the promote goes through", async () => {
      const h = await start();
      const before = await h.calendar();
      const production = before.find(e => e.name === 'production');
      expect(production?.state.closed).toBe(true);
      expect(production).not.toHaveProperty('override');
      expect((await h.promote('p1')).status).toBe(409);

      const broken = await h.override(admin, {
        reason: ' Migration is paused ',
      });
      expect(broken.status).toBe(200);

      const after = await h.calendar();
      expect(after.find(e => e.name === 'production')).toEqual({
        name: 'production',
        state: expect.objectContaining({ closed: true, windowId: h.windowId }),
        override: {
          releaseId: h.release.id,
          version: '2.0.0',
          by: expect.objectContaining({ kind: 'user', ref: ADMIN }),
          reason: 'Migration is paused',
          windowId: h.windowId,
          at: broken.body.at,
        },
      });
      // Only the environment whose latest release it is.
      for (const env of after.filter(e => e.name !== 'production')) {
        expect(env).not.toHaveProperty('override');
      }

      const promoted = await h.promote('p2');
      expect(promoted.status).toBe(202);
      expect((await waitForAction(h.server, promoted.body.id)).state).toBe(
        'succeeded',
      );
    });

    it('refuses a break without the permission or without a reason, and shows nothing then', async () => {
      const h = await start();
      const forbidden = await h.override(owner, { reason: 'hotfix' });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.message).toBe(
        'You may not break a release freeze (glidepath.freeze.override)',
      );
      for (const body of [{ reason: '' }, {}, { reason: '   ' }]) {
        const bad = await h.override(admin, body);
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toMatch(/reason/);
      }
      expect(
        (await h.calendar()).filter(e => 'override' in e).map(e => e.name),
      ).toEqual([]);
      expect(
        h.auditEvents
          .filter(e => e.eventId === 'freeze-override')
          .map(e => e.outcome),
        // The empty and missing reasons are refused by the request validator
        // before the service; the blank one by the service, audited.
      ).toEqual(['fail', 'fail']);
    });

    it('no longer shows an override once a newer release is the latest there', async () => {
      const h = await start();
      expect(
        (await h.override(admin, { reason: 'Migration is paused' })).status,
      ).toBe(200);
      h.provider.setRelease('checkout', {
        providerReleaseId: 'checkout@3',
        version: '3.0.0',
        previousVersion: '2.0.0',
        startedAt: new Date('2026-11-28T10:00:00.000Z'),
      });
      await h.sync();
      const summary = await request(h.server)
        .get('/api/glidepath/entities/component/default/checkout')
        .set('Authorization', owner);
      expect(summary.body.current.version).toBe('3.0.0');
      expect(
        (await h.calendar()).find(e => e.name === 'production'),
      ).not.toHaveProperty('override');
    });
  },
);
