import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { catalogWithRelations } from '../__testUtils__/catalogWithRelations';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import { startGlidepathTestBackend } from '../__testUtils__/glidepathTestBackend';
import { processedExamples } from './__testUtils__/backstageExamples';
import { c, SERVICE_SHOP } from './__testUtils__/graphFixtures';

const user = mockCredentials.user.header('user:default/someone');

describe('GET /graph and POST /graph/check', () => {
  const running: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map(stop => stop()));
  });

  async function setup() {
    const provider = new FakeRolloutProvider();
    provider.setRelease('payments', {
      version: '2.3.0',
      previousVersion: '2.2.0',
      phase: 'succeeded',
    });
    provider.setRelease('checkout');
    const harness = await startGlidepathTestBackend({
      providers: [provider],
      entities: catalogWithRelations(SERVICE_SHOP),
    });
    running.push(harness.stop);
    await harness.sync();
    return { ...harness, provider };
  }

  it('sends the same graph again, compressed once, until a release changes', async () => {
    const harness = await setup();
    const get = (encoding: string) =>
      request(harness.server)
        .get('/api/glidepath/graph')
        .set('Authorization', user)
        .set('Accept-Encoding', encoding);
    const first = await get('gzip, deflate, br');
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.headers['server-timing']).not.toContain('cache');

    const again = await get('gzip');
    expect(again.headers['server-timing']).toContain('cache;desc="hit"');
    expect(again.body).toEqual(first.body);

    const plain = await get('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.text)).toEqual(first.body);

    harness.provider.setRelease('payments', {
      providerReleaseId: 'payments@3',
      // Later than payments@2 (the fake starts every release at one time):
      // the head release is the latest started.
      startedAt: new Date('2026-11-28T10:00:00.000Z'),
      updatedAt: new Date('2026-11-28T10:00:00.000Z'),
      version: '2.4.0',
      previousVersion: '2.3.0',
      phase: 'progressing',
    });
    await harness.sync();
    const changed = await get('gzip');
    expect(changed.headers['server-timing']).not.toContain('cache');
    const payments = changed.body.nodes.find((n: any) => n.name === 'payments');
    expect(payments.deployments).toEqual([
      expect.objectContaining({ releasingVersion: '2.4.0' }),
    ]);
  });

  it('serves the graph with versions, requirement checks and its cost', async () => {
    const { server } = await setup();
    const res = await request(server)
      .get('/api/glidepath/graph')
      .query({ entity: 'checkout', depth: 1 })
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.headers['server-timing']).toMatch(
      /catalog;dur=[\d.]+;desc="\d+ calls"/,
    );
    const payments = res.body.nodes.find((n: any) => n.name === 'payments');
    expect(payments.deployments).toEqual([
      expect.objectContaining({ environment: 'production', version: '2.3.0' }),
    ]);
    const edge = res.body.edges.find((e: any) => e.to === c('payments'));
    expect(edge).toEqual(
      expect.objectContaining({
        relations: ['consumesApi', 'requires'],
        requirement: expect.objectContaining({ status: 'satisfied' }),
      }),
    );
    const ledger = res.body.edges.find((e: any) => e.to === c('ledger'));
    expect(ledger.requirement.status).toBe('unknown');
    const broken = await request(server)
      .get('/api/glidepath/graph')
      .query({ entity: 'broken' })
      .set('Authorization', user);
    expect(
      broken.body.nodes.find((n: any) => n.name === 'broken').problems,
    ).toEqual([expect.objectContaining({ value: 'ledger@two' })]);
  });

  it.each([
    [
      { entity: 'nothing-here' },
      404,
      'No entity component:default/nothing-here',
    ],
    [{ system: 'nowhere' }, 404, 'No system system:default/nowhere'],
    [{ entity: 'checkout', depth: 11 }, 400, '10'],
    [{ entity: 'checkout', depth: -1 }, 400, '0'],
    [{ entity: 'checkout', direction: 'sideways' }, 400, 'direction'],
    [
      { entity: 'checkout', system: 'shop' },
      400,
      'at most one of entity, system, domain and owner',
    ],
    [{ entity: 'api:payments-api' }, 400, 'around a component or a resource'],
    [{ owner: 'component:checkout' }, 400, 'must be a group or user reference'],
    [{ kind: 'api' }, 400, 'kind'],
  ])('answers %j with %d', async (query, status, message) => {
    const { server } = await setup();
    const res = await request(server)
      .get('/api/glidepath/graph')
      .query(query)
      .set('Authorization', user);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
  });

  it('says what a rollback would break', async () => {
    const { server } = await setup();
    const res = await request(server)
      .post('/api/glidepath/graph/check')
      .send({
        changes: [
          { entityRef: 'component:default/payments', version: '2.2.0' },
        ],
      })
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.broken).toEqual([
      expect.objectContaining({
        from: c('checkout'),
        proposedVersion: '2.2.0',
        currentVersion: '2.3.0',
        alreadyBroken: false,
      }),
    ]);
    expect(res.body.blastRadius).toEqual([c('broken'), c('checkout')]);
  });

  // The same malformed refs as GET /graph's entity and as a proposed
  // change: a 400 naming the field either way, never a 200 with the ref
  // under missing.
  it.each([
    ['not a ref!', 'is not an entity reference'],
    ['a:b:c:d', 'is not an entity reference'],
    ['component:default/', 'is not an entity reference'],
    ['checkout\n', 'control characters'],
    ['api:payments-api', 'around a component or a resource'],
    ['system:shop', 'around a component or a resource'],
  ])(
    'refuses the ref %j in GET /graph and in POST /graph/check alike',
    async (ref, message) => {
      const { server } = await setup();
      const get = await request(server)
        .get('/api/glidepath/graph')
        .query({ entity: ref })
        .set('Authorization', user);
      const check = await request(server)
        .post('/api/glidepath/graph/check')
        .send({ changes: [{ entityRef: ref, version: '1.0.0' }] })
        .set('Authorization', user);
      expect([get.status, check.status]).toEqual([400, 400]);
      expect(get.body.error.message).toContain('entity');
      expect(get.body.error.message).toContain(message);
      expect(check.body.error.message).toContain('changes[0].entityRef');
      expect(check.body.error.message).toContain(message);
    },
  );

  it('reads refs case-insensitively, as the catalog does', async () => {
    const { server } = await setup();
    const ref = 'Component:Default/Checkout';
    const get = await request(server)
      .get('/api/glidepath/graph')
      .query({ entity: ref, depth: 0 })
      .set('Authorization', user);
    expect(get.status).toBe(200);
    expect(get.body.nodes.map((n: any) => n.entityRef)).toEqual([
      c('checkout'),
    ]);
    const check = await request(server)
      .post('/api/glidepath/graph/check')
      .send({ changes: [{ entityRef: ref, version: '1.0.0' }] })
      .set('Authorization', user);
    expect(check.status).toBe(200);
    expect(check.body.missing).toEqual([]);
  });

  it.each([
    [{}, 'changes'],
    [{ changes: [] }, 'changes'],
    [{ changes: [{ entityRef: 'payments' }] }, 'version'],
    [
      { changes: [{ entityRef: 'a:b:c:d', version: '1.0.0' }] },
      'changes[0].entityRef',
    ],
  ])('refuses the check %j', async (body, message) => {
    const { server } = await setup();
    const res = await request(server)
      .post('/api/glidepath/graph/check')
      .send(body)
      .set('Authorization', user);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });
});

describe('GET /graph on Backstage example catalog', () => {
  const running: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(running.splice(0).map(stop => stop()));
  });

  // From the shared snapshot (a caller who may read everything) and read as
  // the caller (a conditional decision): the same answers.
  describe.each(['allow', 'conditional'] as const)(
    'catalog read: %s',
    catalogRead => {
      let server: Parameters<typeof request>[0];
      beforeAll(async () => {
        const harness = await startGlidepathTestBackend({
          providers: [],
          entities: await processedExamples(),
          catalogRead,
        });
        running.push(harness.stop);
        server = harness.server;
      });
      const get = (query: Record<string, unknown>) =>
        request(server)
          .get('/api/glidepath/graph')
          .query(query)
          .set('Authorization', user);

      it('gives a subcomponent no system rather than its parent component', async () => {
        const ingestion = await get({
          entity: 'wayback-archive-ingestion',
          depth: 0,
        });
        expect(ingestion.status).toBe(200);
        expect(ingestion.body.nodes[0].system).toBeNull();
        const storage = await get({
          entity: 'wayback-archive-storage',
          depth: 0,
        });
        expect(storage.body.nodes[0].system).toBeNull();
        const lookup = await get({ entity: 'artist-lookup', depth: 0 });
        expect(lookup.body.nodes[0].system).toBe(
          'system:default/artist-engagement-portal',
        );
      });

      it('filters the whole catalog and a system by lifecycle and kind', async () => {
        const experimental = await get({ lifecycle: 'experimental' });
        expect(experimental.status).toBe(200);
        expect(experimental.body.nodes.map((n: any) => n.name).sort()).toEqual([
          'artist-lookup',
          'playback-sdk',
          'podcast-api',
        ]);
        const resources = await get({
          system: 'artist-engagement-portal',
          kind: 'resource',
        });
        expect(resources.body.nodes.map((n: any) => n.name)).toEqual([
          'artists-db',
        ]);
      });

      it('lists a consumed component and a consumed API that does not exist as missing', async () => {
        const www = await get({ entity: 'www-artist', depth: 1 });
        expect(www.body.edges).toEqual([]);
        expect(www.body.missing).toEqual([c('artist-lookup')]);
        expect(www.body.missingDetails).toEqual([
          expect.objectContaining({
            entityRef: c('artist-lookup'),
            reason: 'wrong-kind',
            namedBy: [c('www-artist')],
            relations: ['consumesApi'],
          }),
        ]);
        const petstore = await get({ entity: 'petstore', depth: 1 });
        expect(petstore.body.missingDetails).toEqual([
          expect.objectContaining({
            entityRef: 'api:default/searcher',
            reason: 'not-found',
            namedBy: [c('petstore')],
          }),
        ]);
      });
    },
  );
});
