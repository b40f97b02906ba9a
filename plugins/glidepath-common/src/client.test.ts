import { ResponseError } from '@backstage/errors';
import { GlidepathClient } from './client';

function clientWith(respond: (url: string, init?: RequestInit) => Response) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const client = new GlidepathClient({
    discoveryApi: { getBaseUrl: async id => `http://backstage/api/${id}` },
    fetchApi: {
      fetch: (async (url: string, init?: RequestInit) => {
        calls.push({ url, init });
        return respond(url, init);
      }) as typeof fetch,
    },
  });
  return { client, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('GlidepathClient', () => {
  it('addresses an entity by its encoded kind, namespace and name', async () => {
    const { client, calls } = clientWith(() => json({ entityRef: 'x' }));
    await client.getEntityReleaseSummary({
      kind: 'Component',
      namespace: 'default',
      name: 'a b',
    });
    await client.listEntityReleases(
      { kind: 'component', namespace: 'default', name: 'cart' },
      { limit: 5, cursor: 'abc=' },
    );
    expect(calls.map(c => c.url)).toEqual([
      'http://backstage/api/glidepath/entities/Component/default/a%20b',
      'http://backstage/api/glidepath/entities/component/default/cart/releases?limit=5&cursor=abc%3D',
    ]);
  });

  it('asks for the release metrics of a scope, leaving out what is not given', async () => {
    const { client, calls } = clientWith(() => json({ series: [] }));
    await client.getReleaseMetrics({
      owner: 'group:default/team-checkout',
      bucket: 'month',
    });
    await client.getReleaseMetrics({});
    expect(calls.map(c => c.url)).toEqual([
      'http://backstage/api/glidepath/release-metrics?owner=group%3Adefault%2Fteam-checkout&bucket=month',
      'http://backstage/api/glidepath/release-metrics',
    ]);
  });

  it('posts an action with its Idempotency-Key', async () => {
    const { client, calls } = clientWith(() => json({ id: 'a1' }, 202));
    const action = await client.createReleaseAction(
      'r/1',
      { action: 'rollback', reason: 'errors' },
      { idempotencyKey: 'k-1' },
    );
    expect(action).toEqual({ id: 'a1' });
    expect(calls[0].url).toBe(
      'http://backstage/api/glidepath/releases/r%2F1/actions',
    );
    expect(calls[0].init?.method).toBe('POST');
    expect(calls[0].init?.headers).toMatchObject({ 'Idempotency-Key': 'k-1' });
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({
      action: 'rollback',
      reason: 'errors',
    });
  });

  it('runs a rollback test with its Idempotency-Key and lists them', async () => {
    const { client, calls } = clientWith((_url, init) =>
      init?.method === 'POST' ? json({ id: 't1' }, 202) : json({ items: [] }),
    );
    const cart = { kind: 'component', namespace: 'default', name: 'cart' };
    expect(
      await client.runRollbackTest(
        cart,
        { environment: 'staging', reason: 'before the sale' },
        { idempotencyKey: 'k-2' },
      ),
    ).toEqual({ id: 't1' });
    await client.listRollbackTests(cart, { environment: 'qa eu', limit: 5 });
    await client.listRollbackTests(cart);
    expect(calls.map(c => [c.init?.method ?? 'GET', c.url])).toEqual([
      [
        'POST',
        'http://backstage/api/glidepath/entities/component/default/cart/rollback-tests',
      ],
      [
        'GET',
        'http://backstage/api/glidepath/entities/component/default/cart/rollback-tests?environment=qa+eu&limit=5',
      ],
      [
        'GET',
        'http://backstage/api/glidepath/entities/component/default/cart/rollback-tests',
      ],
    ]);
    expect(calls[0].init?.headers).toMatchObject({ 'Idempotency-Key': 'k-2' });
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({
      environment: 'staging',
      reason: 'before the sale',
    });
  });

  it('creates game days with their Idempotency-Key, reads them and their drills, and writes the outcome', async () => {
    const { client, calls } = clientWith((_url, init) =>
      init?.method === 'POST' ? json({ id: 'g/1' }, 201) : json({ items: [] }),
    );
    const request = {
      title: 'Checkout game day',
      facilitator: 'user:default/ada',
      scheduledAt: '2026-12-07T10:00:00.000Z',
      faults: [
        { service: 'component:default/cart', fault: 'latency' as const },
      ],
      hypothesis: 'rolled back within 2 minutes',
    };
    expect(
      await client.createGameDay(request, { idempotencyKey: 'k-3' }),
    ).toEqual({ id: 'g/1' });
    await client.listGameDays({ limit: 10 });
    await client.getGameDay('g/1');
    await client.setGameDayOutcome('g/1', { learnt: 'x', followUps: [] });
    await client.getDrillTeamStats({ days: 30 });
    await client.listEntityDrills(
      { kind: 'component', namespace: 'default', name: 'cart' },
      { limit: 1 },
    );
    expect(calls.map(c => [c.init?.method ?? 'GET', c.url])).toEqual([
      ['POST', 'http://backstage/api/glidepath/game-days'],
      ['GET', 'http://backstage/api/glidepath/game-days?limit=10'],
      ['GET', 'http://backstage/api/glidepath/game-days/g%2F1'],
      ['PUT', 'http://backstage/api/glidepath/game-days/g%2F1/outcome'],
      ['GET', 'http://backstage/api/glidepath/drills/teams?days=30'],
      [
        'GET',
        'http://backstage/api/glidepath/entities/component/default/cart/drill-history?limit=1',
      ],
    ]);
    expect(calls[0].init?.headers).toMatchObject({ 'Idempotency-Key': 'k-3' });
    expect(JSON.parse(String(calls[0].init?.body))).toEqual(request);
    expect(JSON.parse(String(calls[3].init?.body))).toEqual({
      learnt: 'x',
      followUps: [],
    });
  });

  it("overrides a release's rollback gate with a reason", async () => {
    const { client, calls } = clientWith(() => json({ status: 'overridden' }));
    expect(
      await client.overrideRollbackGate('r/2', { reason: 'hotfix' }),
    ).toEqual({ status: 'overridden' });
    expect(calls[0].url).toBe(
      'http://backstage/api/glidepath/releases/r%2F2/rollback-gate/override',
    );
    expect(calls[0].init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({
      reason: 'hotfix',
    });
  });

  it('breaks a freeze for one release with a reason', async () => {
    const override = {
      releaseId: 'r/2',
      by: { kind: 'user', ref: 'user:default/ada' },
      reason: 'Migration paused',
      windowId: 'w1',
      at: '2026-12-07T05:00:00.000Z',
    };
    const { client, calls } = clientWith(() => json(override));
    expect(
      await client.overrideFreeze('r/2', { reason: 'Migration paused' }),
    ).toEqual(override);
    expect(calls[0].url).toBe(
      'http://backstage/api/glidepath/releases/r%2F2/freeze-override',
    );
    expect(calls[0].init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({
      reason: 'Migration paused',
    });
  });

  it('reads and changes the release calendar, and makes a feed link absolute', async () => {
    const { client, calls } = clientWith(url => {
      if (url.includes('feed-link')) {
        return json({
          path: '/calendar/feed.ics?owner=group%3Adefault%2Fteam-a&token=t',
          subscribable: true,
        });
      }
      if (url.endsWith('/calendar/windows/w%2F1')) {
        return new Response(null, { status: 204 });
      }
      return json({ items: [], id: 'w1', environments: [] });
    });
    await client.getEntityCalendar({
      kind: 'component',
      namespace: 'default',
      name: 'cart',
    });
    await client.listFreezeWindows();
    await client.listReleaseTrains();
    await client.createFreezeWindow(
      {
        title: 'Weekend',
        effect: 'deny',
        scope: { kind: 'organisation' },
        reason: 'No releases',
        timezone: 'Europe/Berlin',
        start: '2026-01-02T16:00',
        rrule: 'FREQ=WEEKLY;BYDAY=FR',
        durationMinutes: 60,
      },
      { idempotencyKey: 'k-9' },
    );
    await client.deleteFreezeWindow('w/1');
    const link = await client.getCalendarFeedLink({
      owner: 'group:default/team-a',
    });
    expect(calls.map(c => [c.init?.method ?? 'GET', c.url])).toEqual([
      [
        'GET',
        'http://backstage/api/glidepath/entities/component/default/cart/calendar',
      ],
      ['GET', 'http://backstage/api/glidepath/calendar/windows'],
      ['GET', 'http://backstage/api/glidepath/calendar/trains'],
      ['POST', 'http://backstage/api/glidepath/calendar/windows'],
      ['DELETE', 'http://backstage/api/glidepath/calendar/windows/w%2F1'],
      [
        'GET',
        'http://backstage/api/glidepath/calendar/feed-link?owner=group%3Adefault%2Fteam-a',
      ],
    ]);
    expect(
      (calls[3].init?.headers as Record<string, string>)['Idempotency-Key'],
    ).toBe('k-9');
    expect(JSON.parse(String(calls[3].init?.body)).rrule).toBe(
      'FREQ=WEEKLY;BYDAY=FR',
    );
    expect(link).toEqual({
      path: '/calendar/feed.ics?owner=group%3Adefault%2Fteam-a&token=t',
      subscribable: true,
      url: 'http://backstage/api/glidepath/calendar/feed.ics?owner=group%3Adefault%2Fteam-a&token=t',
    });
  });

  it('throws the server’s 400 when a freeze window is refused', async () => {
    const { client } = clientWith(() =>
      json(
        {
          error: {
            name: 'InputError',
            message:
              'Invalid freeze window: rrule: INTERVAL=x is not a valid INTERVAL',
          },
          request: { method: 'POST', url: '/calendar/windows' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    const error = await client
      .createFreezeWindow(
        {
          title: 'x',
          effect: 'deny',
          scope: { kind: 'organisation' },
          reason: 'x',
          timezone: 'UTC',
          start: '2026-01-02T16:00',
          rrule: 'FREQ=WEEKLY;INTERVAL=x',
          durationMinutes: 60,
        },
        { idempotencyKey: 'k' },
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe(
      'Invalid freeze window: rrule: INTERVAL=x is not a valid INTERVAL',
    );
  });

  it('throws a ResponseError carrying the server message', async () => {
    const { client } = clientWith(() =>
      json(
        {
          error: {
            name: 'NotAllowedError',
            message: 'You are not allowed to roll back',
          },
          request: { method: 'GET', url: '/actions/a1' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const error = await client.getReleaseAction('a1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('You are not allowed to roll back');
  });
});
