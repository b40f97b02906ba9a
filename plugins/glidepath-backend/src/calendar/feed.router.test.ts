import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import ICAL from 'ical.js';
import request from 'supertest';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';

const ADMIN = 'user:default/admin';
const admin = mockCredentials.user.header(ADMIN);
const reader = mockCredentials.user.header('user:default/reader');
const SECRET = 'feed-links-secret-of-thirty-two-chars!';

function owned(name: string, team: string, system: string): Entity {
  const entity = component(name, `group:default/${team}`);
  return {
    ...entity,
    spec: { ...entity.spec, system },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/${team}` },
      { type: 'partOf', targetRef: `system:default/${system}` },
    ],
  };
}

function group(name: string, displayName: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], profile: { displayName } },
  };
}

/** The feed's events by summary, parsed as a calendar app would. */
function summaries(text: string): string[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar
    .getAllSubcomponents('vevent')
    .map(e => String(e.getFirstPropertyValue('summary')))
    .sort();
}

describe('the iCalendar feeds', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map(stop => stop()));
  });

  async function start(config?: object) {
    const harness = await startGlidepathTestBackend({
      providers: [],
      entities: [
        owned('checkout', 'team-checkout', 'shop'),
        owned('payments', 'team-payments', 'money'),
        group('team-checkout', 'Checkout team'),
        group('team-payments', 'Payments team'),
      ],
      allow: user => user === undefined || user === ADMIN,
      config,
    });
    stops.push(harness.stop);
    const add = (
      path: string,
      body: { title: string; [key: string]: unknown },
    ) =>
      request(harness.server)
        .post(`/api/glidepath/calendar/${path}`)
        .set('Authorization', admin)
        .set('Idempotency-Key', `${path}-${body.title}`)
        .send(body)
        .expect(201);
    const window = (title: string, scope: object) =>
      add('windows', {
        title,
        effect: 'deny',
        scope,
        reason: `${title} reason`,
        timezone: 'Europe/Berlin',
        start: '2026-03-27T16:00',
        rrule: 'FREQ=WEEKLY;BYDAY=FR',
        durationMinutes: 3840,
      });
    await window('Organisation', { kind: 'organisation' });
    await window('Production', { kind: 'environment', name: 'production' });
    await window('Shop', { kind: 'system', ref: 'system:default/shop' });
    await window('Checkout team', {
      kind: 'owner',
      ref: 'group:default/team-checkout',
    });
    await window('Payments', {
      kind: 'entity',
      ref: 'component:default/payments',
    });
    await add('trains', {
      title: 'Shop train',
      scope: { kind: 'system', ref: 'system:default/shop' },
      timezone: 'Europe/Berlin',
      start: '2026-01-06T10:00',
      rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
    });
    await add('trains', {
      title: 'Money train',
      scope: { kind: 'system', ref: 'system:default/money' },
      timezone: 'UTC',
      start: '2026-01-06T10:00',
      rrule: 'FREQ=WEEKLY;BYDAY=WE',
    });
    // No Authorization header is the mock's default user: a calendar app
    // sends none, as mockCredentials.none says.
    const get = (path: string) =>
      request(harness.server)
        .get(`/api/glidepath${path}`)
        .set('Authorization', mockCredentials.none.header());
    return { ...harness, get };
  }

  it('gives a signed-in person a link that a calendar app opens without a Backstage token, for that feed only', async () => {
    const h = await start({
      glidepath: { calendar: { feeds: { secret: SECRET } } },
    });

    const org = await h.get('/calendar/feed-link').set('Authorization', reader);
    expect(org.status).toBe(200);
    expect(org.body.subscribable).toBe(true);
    expect(org.body.path).toMatch(/^\/calendar\/feed\.ics\?token=[\w-]{43}$/);

    const orgFeed = await h.get(org.body.path);
    expect(orgFeed.status).toBe(200);
    expect(orgFeed.headers['content-type']).toBe(
      'text/calendar; charset=utf-8',
    );
    expect(summaries(orgFeed.text)).toEqual([
      'Release freeze: Checkout team',
      'Release freeze: Organisation',
      'Release freeze: Payments',
      'Release freeze: Production',
      'Release freeze: Shop',
      'Release train: Money train',
      'Release train: Shop train',
    ]);
    expect(orgFeed.text).toContain('RRULE:FREQ=WEEKLY;BYDAY=FR');
    expect(orgFeed.text).toContain(
      'DTSTART;TZID=Europe/Berlin:20260327T160000',
    );

    const team = await h
      .get('/calendar/feed-link?owner=team-checkout')
      .set('Authorization', reader);
    expect(team.body.path).toMatch(
      /^\/calendar\/feed\.ics\?owner=group%3Adefault%2Fteam-checkout&token=/,
    );
    const teamFeed = await h.get(team.body.path);
    expect(teamFeed.status).toBe(200);
    expect(teamFeed.text).toContain(
      'X-WR-CALNAME:Release calendar: Checkout team',
    );
    // The team's own, its system's, the organisation's and environments';
    // not the payments service's window nor the money system's train.
    expect(summaries(teamFeed.text)).toEqual([
      'Release freeze: Checkout team',
      'Release freeze: Organisation',
      'Release freeze: Production',
      'Release freeze: Shop',
      'Release train: Shop train',
    ]);

    // A team's token does not open another team's feed, nor the
    // organisation's; a made-up one opens nothing.
    const token = new URLSearchParams(team.body.path.split('?')[1]).get(
      'token',
    );
    const other = await h.get(
      `/calendar/feed.ics?owner=group%3Adefault%2Fteam-payments&token=${token}`,
    );
    expect(other.status).toBe(401);
    expect(other.body.error.message).toMatch(
      /not valid for group:default\/team-payments/,
    );
    expect((await h.get(`/calendar/feed.ics?token=${token}`)).status).toBe(401);
    expect((await h.get('/calendar/feed.ics?token=guess')).status).toBe(401);
    // Without a link's token, a Backstage token is needed.
    expect((await h.get('/calendar/feed.ics')).status).toBe(401);
    const signedIn = await h
      .get('/calendar/feed.ics')
      .set('Authorization', reader);
    expect(signedIn.status).toBe(200);
    // Other Glidepath routes stay closed.
    expect((await h.get('/calendar/windows')).status).toBe(401);
  });

  it('needs a Backstage token when no secret is configured, and names a bad or unknown owner', async () => {
    const h = await start();
    const link = await h
      .get('/calendar/feed-link')
      .set('Authorization', reader);
    expect(link.body).toEqual({
      path: '/calendar/feed.ics',
      subscribable: false,
    });
    expect((await h.get('/calendar/feed.ics')).status).toBe(401);
    expect((await h.get('/calendar/feed.ics?token=x')).status).toBe(401);
    const feed = await h.get('/calendar/feed.ics').set('Authorization', reader);
    expect(feed.status).toBe(200);
    expect(summaries(feed.text)).toHaveLength(7);

    const unknown = await h
      .get('/calendar/feed.ics?owner=group%3Adefault%2Fnobody')
      .set('Authorization', reader);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No owner group:default/nobody in the catalog',
    );
    const system = await h
      .get('/calendar/feed-link?owner=system%3Adefault%2Fshop')
      .set('Authorization', reader);
    expect(system.status).toBe(400);
    expect(system.body.error.message).toMatch(
      /a feed's owner is a group or a user/,
    );
  });

  it('lists a window kept in config with the others, in the feeds, and refuses to delete it', async () => {
    const h = await start({
      glidepath: {
        calendar: {
          windows: [
            {
              title: 'Checkout migration',
              scope: { kind: 'entity', ref: 'component:default/checkout' },
              reason: 'Database migration',
              timezone: 'UTC',
              start: '2026-01-01T00:00',
              rrule: 'FREQ=DAILY',
              durationMinutes: 1440,
            },
          ],
        },
      },
    });
    const windows = await h
      .get('/calendar/windows')
      .set('Authorization', reader);
    expect(windows.body.items[0]).toMatchObject({
      id: 'config-1',
      title: 'Checkout migration',
      definedIn: 'app-config',
    });
    expect(windows.body.items).toHaveLength(6);
    const calendar = await h
      .get('/entities/component/default/checkout/calendar')
      .set('Authorization', reader);
    expect(calendar.body.environments[0].state).toMatchObject({
      closed: true,
      reason: 'Database migration',
      windowId: 'config-1',
    });
    const team = await h
      .get('/calendar/feed.ics?owner=group%3Adefault%2Fteam-checkout')
      .set('Authorization', reader);
    expect(summaries(team.text)).toContain(
      'Release freeze: Checkout migration',
    );
    const payments = await h
      .get('/calendar/feed.ics?owner=group%3Adefault%2Fteam-payments')
      .set('Authorization', reader);
    expect(summaries(payments.text)).not.toContain(
      'Release freeze: Checkout migration',
    );
    const remove = await request(h.server)
      .delete('/api/glidepath/calendar/windows/config-1')
      .set('Authorization', admin);
    expect(remove.status).toBe(409);
    expect(remove.body.error.message).toBe(
      'The freeze window config-1 is defined in app-config (glidepath.calendar.windows); remove it there',
    );
  });

  it('lists a train kept in config with its next slots, on the entity calendar and in the feeds, and refuses to delete it', async () => {
    const h = await start({
      glidepath: {
        calendar: {
          trains: [
            {
              title: 'Checkout train',
              scope: { kind: 'owner', ref: 'group:default/team-checkout' },
              timezone: 'Europe/Berlin',
              start: '2026-01-06T10:00',
              rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
            },
          ],
        },
      },
    });
    const trains = await h.get('/calendar/trains').set('Authorization', reader);
    expect(trains.status).toBe(200);
    expect(trains.body.items.map((t: { title: string }) => t.title)).toEqual([
      'Checkout train',
      'Shop train',
      'Money train',
    ]);
    const train = trains.body.items[0];
    expect(train).toMatchObject({
      id: 'config-train-1',
      definedIn: 'app-config',
      createdBy: { kind: 'service', ref: 'app-config' },
    });
    expect(train.nextSlots).toHaveLength(3);
    expect(Date.parse(train.nextSlots[0])).toBeGreaterThan(Date.now() - 1000);
    for (const slot of train.nextSlots) {
      expect(
        new Date(slot).toLocaleString('en-GB', {
          timeZone: 'Europe/Berlin',
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
        }),
      ).toMatch(/^(Tue|Thu) 10:00$/);
    }
    expect(trains.body.items[1].definedIn).toBeUndefined();

    // The checkout service's team has it, the payments service's not.
    const checkout = await h
      .get('/entities/component/default/checkout/calendar')
      .set('Authorization', reader);
    expect(checkout.body.trains).toEqual([
      {
        id: 'config-train-1',
        title: 'Checkout train',
        next: train.nextSlots[0],
      },
      expect.objectContaining({ title: 'Shop train' }),
    ]);
    const payments = await h
      .get('/entities/component/default/payments/calendar')
      .set('Authorization', reader);
    expect(payments.body.trains.map((t: { title: string }) => t.title)).toEqual(
      ['Money train'],
    );

    const org = await h.get('/calendar/feed.ics').set('Authorization', reader);
    expect(summaries(org.text)).toContain('Release train: Checkout train');
    expect(org.text).toContain('RRULE:FREQ=WEEKLY;BYDAY=TU,TH');
    const team = await h
      .get('/calendar/feed.ics?owner=group%3Adefault%2Fteam-checkout')
      .set('Authorization', reader);
    expect(summaries(team.text)).toEqual(
      expect.arrayContaining([
        'Release train: Checkout train',
        'Release train: Shop train',
      ]),
    );
    const other = await h
      .get('/calendar/feed.ics?owner=group%3Adefault%2Fteam-payments')
      .set('Authorization', reader);
    expect(summaries(other.text)).not.toContain(
      'Release train: Checkout train',
    );

    const remove = await request(h.server)
      .delete('/api/glidepath/calendar/trains/config-train-1')
      .set('Authorization', admin);
    expect(remove.status).toBe(409);
    expect(remove.body.error.message).toBe(
      'The release train config-train-1 is defined in app-config (glidepath.calendar.trains); remove it there',
    );
    // Only those who may manage the calendar learn that much.
    const forbidden = await request(h.server)
      .delete('/api/glidepath/calendar/trains/config-train-1')
      .set('Authorization', reader);
    expect(forbidden.status).toBe(403);
    const after = await h.get('/calendar/trains').set('Authorization', reader);
    expect(after.body.items).toHaveLength(3);
  });

  it('refuses to start with a secret too short to be unguessable', async () => {
    await expect(
      start({ glidepath: { calendar: { feeds: { secret: 'short' } } } }),
    ).rejects.toThrow(/glidepath\.calendar\.feeds\.secret: needs at least 32/);
  });
});
