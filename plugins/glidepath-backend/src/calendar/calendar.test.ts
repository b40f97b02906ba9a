import { mockCredentials } from '@backstage/backend-test-utils';
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
const ADMIN_ONLY = ['glidepath.calendar.manage', 'glidepath.freeze.override'];

/** A local time in UTC, `hours` from now, as the API takes it. */
function utcLocal(hours: number): string {
  return new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);
}

describe('the release calendar', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map(stop => stop()));
  });

  async function start() {
    const provider = new FakeRolloutProvider();
    provider.setRelease('checkout');
    const harness = await startGlidepathTestBackend({
      providers: [provider],
      entities: [
        {
          ...component('checkout', 'group:default/team-checkout'),
          spec: {
            type: 'service',
            lifecycle: 'production',
            owner: 'team-checkout',
            system: 'shop',
          },
        },
      ],
      allow: (user, _resource, permission) =>
        user === undefined ||
        user === ADMIN ||
        (user === OWNER && !ADMIN_ONLY.includes(permission)),
    });
    stops.push(harness.stop);
    await harness.sync();
    const summary = await request(harness.server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', owner);
    const act = (action: string, key: string) =>
      request(harness.server)
        .post(`/api/glidepath/releases/${summary.body.current.id}/actions`)
        .set('Authorization', owner)
        .set('Idempotency-Key', key)
        .send({ action, reason: 'test' });
    const addWindow = (who: string, body: object, key: string) =>
      request(harness.server)
        .post('/api/glidepath/calendar/windows')
        .set('Authorization', who)
        .set('Idempotency-Key', key)
        .send(body);
    return {
      ...harness,
      provider,
      releaseId: summary.body.current.id as string,
      act,
      addWindow,
    };
  }

  it('refuses a bad window with the field and the parser’s message, and a window from someone not allowed', async () => {
    const h = await start();
    const body = {
      title: 'Weekend',
      effect: 'deny',
      scope: { kind: 'organisation' },
      reason: 'No releases at the weekend',
      timezone: 'Europe/Berlin',
      start: '2026-01-02T16:00',
      rrule: 'FREQ=WEEKLY;INTERVAL=x',
      durationMinutes: 3840,
    };
    const bad = await h.addWindow(admin, body, 'k1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'Invalid freeze window: rrule: INTERVAL=x is not a valid INTERVAL',
    );
    const zone = await h.addWindow(
      admin,
      { ...body, rrule: 'FREQ=WEEKLY;BYDAY=FR', timezone: 'Berlin' },
      'k2',
    );
    expect(zone.status).toBe(400);
    expect(zone.body.error.message).toMatch(
      /^Invalid freeze window: timezone:/,
    );
    const forbidden = await h.addWindow(
      owner,
      { ...body, rrule: 'FREQ=WEEKLY;BYDAY=FR' },
      'k3',
    );
    expect(forbidden.status).toBe(403);
    const windows = await request(h.server)
      .get('/api/glidepath/calendar/windows')
      .set('Authorization', owner);
    expect(windows.body.items).toEqual([]);
  });

  it('refuses promote and resume during a freeze, never a rollback, until someone breaks the glass', async () => {
    const h = await start();
    const incident = {
      title: 'Incident freeze',
      effect: 'deny',
      scope: { kind: 'system', ref: 'system:default/shop' },
      reason: 'INC-42 is open',
      timezone: 'UTC',
      start: utcLocal(-1),
      end: utcLocal(2),
    };
    const created = await h.addWindow(admin, incident, 'w1');
    expect(created.status).toBe(201);

    // The same key again: the same window, recorded once.
    const again = await h.addWindow(admin, incident, 'w1');
    expect(again.body.id).toBe(created.body.id);

    const calendar = await request(h.server)
      .get('/api/glidepath/entities/component/default/checkout/calendar')
      .set('Authorization', owner);
    expect(calendar.body.environments).toEqual(
      expect.arrayContaining([
        {
          name: 'production',
          state: expect.objectContaining({
            closed: true,
            reason: 'INC-42 is open',
            windowId: created.body.id,
          }),
        },
      ]),
    );

    const promote = await h.act('promote', 'p1');
    expect(promote.status).toBe(409);
    expect(promote.body.error.message).toMatch(
      /production is frozen for component:default\/checkout: INC-42 is open \(it opens again at .*\)\. Rollbacks are never blocked/,
    );

    const override = (who: string, reason: string) =>
      request(h.server)
        .post(`/api/glidepath/releases/${h.releaseId}/freeze-override`)
        .set('Authorization', who)
        .send({ reason });
    expect((await override(owner, 'hotfix')).status).toBe(403);
    expect((await override(admin, ' ')).status).toBe(400);
    const broken = await override(admin, 'Hotfix for INC-42');
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({
      releaseId: h.releaseId,
      reason: 'Hotfix for INC-42',
      windowId: created.body.id,
      by: { ref: ADMIN },
    });
    const promoted = await h.act('promote', 'p2');
    expect(promoted.status).toBe(202);
    await waitForAction(h.server, promoted.body.id);

    const rollback = await h.act('rollback', 'r1');
    expect(rollback.status).toBe(202);
    expect(
      h.auditEvents
        .filter(e => ['calendar-window', 'freeze-override'].includes(e.eventId))
        .map(e => [e.eventId, e.outcome]),
    ).toEqual([
      ['calendar-window', 'success'],
      ['calendar-window', 'success'],
      ['freeze-override', 'fail'],
      ['freeze-override', 'fail'],
      ['freeze-override', 'success'],
    ]);
  });

  it('rolls back during a freeze without any override', async () => {
    const h = await start();
    await h.addWindow(
      admin,
      {
        title: 'Everything',
        effect: 'deny',
        scope: { kind: 'organisation' },
        reason: 'Holiday freeze',
        timezone: 'UTC',
        start: utcLocal(-1),
        end: utcLocal(1),
      },
      'w1',
    );
    const rollback = await h.act('rollback', 'r1');
    expect(rollback.status).toBe(202);
    expect((await waitForAction(h.server, rollback.body.id)).state).toBe(
      'succeeded',
    );
  });

  it('keeps trains with their next slots, and shows those of the entity', async () => {
    const h = await start();
    // A scope that names no one is refused, as a window's is.
    const nobody = await request(h.server)
      .post('/api/glidepath/calendar/trains')
      .set('Authorization', admin)
      .set('Idempotency-Key', 't0')
      .send({
        title: 'Nobody’s train',
        scope: { kind: 'owner' },
        timezone: 'Europe/Berlin',
        start: '2026-01-06T10:00',
        rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
      });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.message).toBe(
      'Invalid release train: scope.ref: an owner scope names the owner by its entity ref',
    );
    // Without an Idempotency-Key nothing is written, and the 400 names it
    // (the request validator's words; the service checks again for callers
    // that do not come through the router).
    const keyless = await request(h.server)
      .post('/api/glidepath/calendar/trains')
      .set('Authorization', admin)
      .send({
        title: 'Keyless train',
        scope: { kind: 'organisation' },
        timezone: 'Europe/Berlin',
        start: '2026-01-06T10:00',
        rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
      });
    expect(keyless.status).toBe(400);
    expect(keyless.body.error.message).toMatch(/idempotency-key/i);
    const train = await request(h.server)
      .post('/api/glidepath/calendar/trains')
      .set('Authorization', admin)
      .set('Idempotency-Key', 't1')
      .send({
        title: 'Checkout train',
        scope: { kind: 'owner', ref: 'group:default/team-checkout' },
        timezone: 'Europe/Berlin',
        start: '2026-01-06T10:00',
        rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
      });
    expect(train.status).toBe(201);
    expect(train.body.nextSlots).toHaveLength(3);
    for (const slot of train.body.nextSlots) {
      const local = new Date(slot).toLocaleString('en-GB', {
        timeZone: 'Europe/Berlin',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
      expect(local).toMatch(/^(Tue|Thu) 10:00$/);
    }
    const calendar = await request(h.server)
      .get('/api/glidepath/entities/component/default/checkout/calendar')
      .set('Authorization', owner);
    expect(calendar.body.trains).toEqual([
      {
        id: train.body.id,
        title: 'Checkout train',
        next: train.body.nextSlots[0],
      },
    ]);
    const removed = await request(h.server)
      .delete(`/api/glidepath/calendar/trains/${train.body.id}`)
      .set('Authorization', admin);
    expect(removed.status).toBe(204);
    const gone = await request(h.server)
      .delete(`/api/glidepath/calendar/trains/${train.body.id}`)
      .set('Authorization', admin);
    expect(gone.status).toBe(404);
  });
});
