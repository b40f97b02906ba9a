import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  providerRefusal,
  requestProvider,
  type ProviderEndpoint,
} from './providerHttp';

describe('requestProvider and providerRefusal', () => {
  let server: http.Server;
  let url: string;
  const answers: Array<{
    status: number;
    body: string;
    headers?: Record<string, string>;
    delayMs?: number;
  }> = [];
  const seen: Array<{
    method?: string;
    headers: http.IncomingHttpHeaders;
    body: string;
  }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        const answer = answers.shift() ?? { status: 200, body: '{}' };
        setTimeout(() => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>(r => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );

  const endpoint = (
    more: Partial<ProviderEndpoint> = {},
  ): ProviderEndpoint => ({
    name: `Acme at ${url}`,
    baseUrlKey: 'glidepath.acme.baseUrl',
    timeoutKey: 'glidepath.acme.timeout',
    tokenKey: 'glidepath.acme.token',
    timeoutMs: 2000,
    ...more,
  });
  const ask = (more: Partial<ProviderEndpoint> = {}, signal?: AbortSignal) =>
    requestProvider(endpoint(more), {
      url: `${url}/things`,
      method: 'POST',
      headers: { Authorization: 't', 'Content-Type': 'application/json' },
      body: '{"a":1}',
      signal,
      what: 'list its things',
    });

  it('sends the request and reads any answer, JSON or not', async () => {
    answers.push({ status: 200, body: '{"items":[1]}' });
    const ok = await ask();
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      headers: { authorization: 't', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(ok).toMatchObject({
      status: 200,
      statusLine: '200 OK',
      json: { items: [1] },
    });

    answers.push({ status: 502, body: '<html>bad gateway</html>' });
    const html = await ask();
    expect(html).toMatchObject({
      status: 502,
      json: undefined,
      text: '<html>bad gateway</html>',
    });
  });

  it.each([
    [
      401,
      '{"message":"Invalid token"}',
      {},
      `refused the token (glidepath.acme.token) when asked to list its things: 401 Unauthorized: Invalid token`,
    ],
    [
      403,
      '{"message":"Missing DELETE_FEATURE"}',
      {},
      'refused to list its things: 403 Forbidden: Missing DELETE_FEATURE',
    ],
    [
      500,
      'upstream   down\n',
      {},
      'refused to list its things: 500 Internal Server Error: upstream down',
    ],
    [404, '', {}, 'refused to list its things: 404 Not Found: (empty)'],
    [
      429,
      '{"message":"slow down"}',
      { 'Retry-After': '30' },
      'rate-limited the request to list its things until ',
    ],
  ])('a %i answer: %j', async (status, body, headers, message) => {
    answers.push({ status, body, headers });
    const refusal = providerRefusal(endpoint(), await ask(), 'list its things');
    expect(refusal.status).toBe(status);
    expect(refusal.message).toContain(`Acme at ${url} ${message}`);
  });

  it('a 429 tells when to retry from the provider’s own header', async () => {
    answers.push({
      status: 429,
      body: '',
      headers: { 'X-Reset': '1900000000000' },
    });
    const refusal = providerRefusal(
      endpoint(),
      await ask(),
      'list its things',
      {
        retryAt: h => new Date(Number(h.get('X-Reset'))),
      },
    );
    expect(refusal.message).toBe(
      `Acme at ${url} rate-limited the request to list its things until ${new Date(
        1900000000000,
      ).toISOString()}: 429 Too Many Requests: (empty)`,
    );
  });

  it('names the URL key when the provider cannot be reached, the timeout key when it is slow', async () => {
    const closed = http.createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(r => closed.close(r));
    await expect(
      requestProvider(endpoint(), {
        url: `http://127.0.0.1:${port}/x`,
        method: 'GET',
        headers: {},
        what: 'list its things',
      }),
    ).rejects.toThrow(
      new RegExp(
        `^Acme at ${url} could not be reached \\(is glidepath.acme.baseUrl right\\?\\): .*ECONNREFUSED`,
      ),
    );

    answers.push({ status: 200, body: '{}', delayMs: 500 });
    await expect(ask({ timeoutMs: 100 })).rejects.toThrow(
      `Acme at ${url} did not answer within 0.1 s (glidepath.acme.timeout) when asked to list its things`,
    );

    answers.push({ status: 200, body: '{}', delayMs: 500 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('gave up')), 50);
    await expect(ask({}, controller.signal)).rejects.toThrow(
      `Acme at ${url}: the request to list its things was aborted`,
    );
  });
});
