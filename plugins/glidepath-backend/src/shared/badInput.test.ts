import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import type { Request } from 'express';
import request from 'supertest';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';
import { mapHandlerErrors } from './badInput';

/* Bad input gets a 4xx naming what is wrong, never a 500 (issue 25, item
 * 8): one regression test per class of bug the fuzz test (src/fuzz.test.ts)
 * and the issue found. On PostgreSQL when the environment has one: it
 * refuses the NUL bytes SQLite stores. */

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const databaseId = databases.eachSupportedId()[0][0];
const user = mockCredentials.user.header('user:default/owner');
const service = mockCredentials.service.header();

describe(`bad input (${databaseId})`, () => {
  let harness: Awaited<ReturnType<typeof startGlidepathTestBackend>>;
  beforeAll(async () => {
    const provider = new FakeRolloutProvider();
    provider.setRelease('checkout');
    harness = await startGlidepathTestBackend({
      providers: [provider],
      entities: [component('checkout', 'group:default/team-checkout')],
      databases,
      databaseId,
    });
    await harness.sync();
  });
  afterAll(() => harness.stop());

  const api = () => request(harness.server);
  const checklist = (body: object) =>
    api()
      .post('/api/glidepath/entities/component/default/checkout/checklists')
      .set('Authorization', user)
      .set('Idempotency-Key', `k-${Math.random()}`)
      .send(body);

  it.each([
    ['releases/%00', 'releaseId'],
    ['actions/a%00b', 'actionId'],
    ['checklists/%00', 'checklistId'],
    ['dora/reports/%00', 'reportId'],
    ['entities/component/default/check%00out', 'name'],
  ])(
    'refuses a NUL byte in a path id (GET %s) naming %s',
    async (path, name) => {
      const res = await api()
        .get(`/api/glidepath/${path}`)
        .set('Authorization', user);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`Path parameter ${name}`);
      expect(res.body.error.message).not.toContain('\u0000');
    },
  );

  it('refuses a NUL byte in a JSON string, naming its path', async () => {
    const res = await checklist({
      title: 'Go live',
      items: [{ title: 'ok' }, { title: 'a\u0000b' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'body.items[1].title must not contain control characters (such as NUL)',
    );
  });

  it('refuses a NUL byte in an event id (service call)', async () => {
    const res = await api()
      .post('/api/glidepath/events/deployments')
      .set('Authorization', service)
      .send({
        id: 'd\u00001',
        entityRef: 'component:default/checkout',
        environment: 'production',
        version: '1.0.0',
        deployedAt: '2026-01-01T00:00:00Z',
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.id');
  });

  it('refuses a control character in a query value, naming the parameter', async () => {
    const res = await api()
      .get('/api/glidepath/dora')
      .query({ entity: 'check\u0000out' })
      .set('Authorization', user);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Query parameter entity must not contain control characters',
    );
  });

  it.each([
    ['component%2Fx/default/checkout', 'kind'],
    ['component/default%2Fx/checkout', 'namespace'],
    ['component/default/a%2F..%2Fb', 'name'],
  ])('refuses an encoded "/" in %s naming %s, quoted', async (path, name) => {
    const res = await api()
      .get(`/api/glidepath/entities/${path}`)
      .set('Authorization', user);
    expect(res.status).toBe(400);
    const value = decodeURIComponent(
      path.split('/')[['kind', 'namespace', 'name'].indexOf(name)],
    );
    expect(res.body.error.message).toBe(
      `Path parameter ${name} ${JSON.stringify(
        value,
      )} is not a valid entity ${name} (it must not contain "/")`,
    );
  });

  it.each([
    ['graph', 'entity', 'not a ref!'],
    ['dora', 'owner', 'group:default/team checkout'],
    ['dora/reports', 'owner', 'group:default/a%b'],
  ])(
    'refuses a malformed ref in GET /%s?%s=, naming the parameter',
    async (path, parameter, value) => {
      const res = await api()
        .get(`/api/glidepath/${path}`)
        .query({ [parameter]: value })
        .set('Authorization', user);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        `${parameter} ${JSON.stringify(value)} is not an entity reference`,
      );
    },
  );

  it.each([
    ['deployedAt', '0000-01-01T00:00:00Z'],
    ['deployedAt', '1969-12-31T23:59:59Z'],
    ['firstCommitAt', '0001-01-01T00:00:00Z'],
  ])('refuses an event whose %s is %s, naming it', async (field, value) => {
    const res = await api()
      .post('/api/glidepath/events/deployments')
      .set('Authorization', service)
      .send({
        id: `d-${field}`,
        entityRef: 'component:default/checkout',
        environment: 'production',
        version: '1.0.0',
        deployedAt: '2026-01-01T00:00:00Z',
        [field]: value,
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      `${field}: ${value} is before 1970-01-01`,
    );
  });

  it('refuses a DORA period in year 0000, naming from', async () => {
    const res = await api()
      .get('/api/glidepath/dora')
      .query({ from: '0000-01-01', to: '0000-02-01' })
      .set('Authorization', user);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('to "0000-02-01" is before 1970-01-01');
  });

  it('refuses a checklist title of spaces', async () => {
    const res = await checklist({ title: '   ', items: [{ title: 'ok' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('title must not be blank');
  });

  it('refuses an item owner that is not a user or group ref, naming the item', async () => {
    const res = await checklist({
      title: 'Go live',
      items: [{ title: 'Tell support', owner: 'not a ref at all!!' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'items: The item "Tell support" has an owner that is not a user or group reference (e.g. group:default/team-checkout)',
    );
  });

  it('names the unknown property of a nested object', async () => {
    const res = await checklist({
      title: 'Go live',
      items: [{ title: 'ok', assignee: 'me' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'body.items[0].assignee is not a known property',
    );
  });

  it('answers 413 to a body over the limit', async () => {
    const res = await api()
      .post('/api/glidepath/events/deployments')
      .set('Authorization', service)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ events: [{ id: 'x'.repeat(5 * 1024 * 1024) }] }));
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBe(
      'The request body is larger than the 4096 KB this API takes',
    );
  });

  it('refuses a body that is not JSON without echoing it', async () => {
    const res = await api()
      .post('/api/glidepath/graph/check')
      .set('Authorization', user)
      .set('Content-Type', 'application/json')
      .send('{"changes": "secret\u0007');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^The request body is not a JSON object or array/,
    );
    expect(res.body.error.message).not.toContain('secret');
  });
});

describe('a catalog refusal', () => {
  async function refusal(status: number, message: string) {
    return ResponseError.fromResponse(
      new Response(
        // As a Backstage backend answers an error.
        JSON.stringify({
          error: { name: 'InputError', message },
          request: { method: 'GET', url: '/entities/by-name/component/x' },
          response: { statusCode: status },
        }),
        {
          status,
          statusText: status === 404 ? 'Not Found' : 'Bad Request',
          headers: { 'Content-Type': 'application/json' },
        },
      ) as any,
    );
  }
  function mapped(error: Error, req: Partial<Request>): any {
    let out: any;
    mapHandlerErrors(error, req as Request, {} as any, e => {
      out = e;
    });
    return out;
  }

  it('becomes a 400 naming the request entity, without internal paths', async () => {
    const error = await refusal(
      400,
      'Malformed entity ref at http://catalog:7007/api/catalog/entities/by-name/component/default/x',
    );
    const out = mapped(error, {
      params: { kind: 'component', namespace: 'default', name: 'x' },
      query: {},
    });
    expect(out.name).toBe('InputError');
    expect(out.message).toBe(
      'The catalog could not look up the entity of path parameters kind, namespace and name ("component:default/x"): Malformed entity ref at',
    );
    expect(out.message).not.toMatch(/api\/catalog|http/);
  });

  it('names the query parameter and drops a bare "Request failed"', async () => {
    const error = await refusal(400, 'Request failed with 400 Bad Request');
    const out = mapped(error, { params: {}, query: { owner: 'team-a' } });
    expect(out.name).toBe('InputError');
    expect(out.message).toBe(
      'The catalog could not look up query parameter owner ("team-a")',
    );
  });
});
