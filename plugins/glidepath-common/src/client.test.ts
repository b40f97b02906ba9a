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
