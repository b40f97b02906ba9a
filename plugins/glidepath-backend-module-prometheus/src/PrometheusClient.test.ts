import { PrometheusClient } from './PrometheusClient';
import {
  startStubServer,
  vectorAnswer,
  type StubAnswer,
} from './__testUtils__/stubServer';

const time = new Date('2026-11-27T10:00:00.250Z');
const QUERY = 'sum(increase(http_requests_total{job="a"}[60s]))';

describe('PrometheusClient', () => {
  let answer: StubAnswer;
  let stub: Awaited<ReturnType<typeof startStubServer>>;

  beforeAll(async () => {
    stub = await startStubServer(() => answer);
  });
  afterAll(() => stub.stop());
  beforeEach(() => {
    stub.requests.length = 0;
  });

  const client = (
    options: { headers?: Record<string, string>; timeoutMs?: number } = {},
  ) =>
    new PrometheusClient({
      baseUrl: `${stub.url}/`,
      timeoutMs: 10_000,
      ...options,
    });

  it('posts an instant query at the given time and reads the vector', async () => {
    answer = vectorAnswer(
      { labels: { le: '0.5' }, value: '12.5' },
      { value: 'NaN' },
    );
    const samples = await client({
      headers: { Authorization: 'Bearer s3cret' },
    }).query(QUERY, time);

    expect(samples).toEqual([
      { labels: { le: '0.5' }, timestamp: expect.any(Number), value: 12.5 },
      { labels: {}, timestamp: expect.any(Number), value: NaN },
    ]);
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v1/query');
    expect(request.headers.authorization).toBe('Bearer s3cret');
    expect(Object.fromEntries(request.form)).toEqual({
      query: QUERY,
      time: '1795773600.250',
      timeout: '10s',
    });
  });

  it('sends credentials in the URL as basic auth, and never shows them', async () => {
    answer = { status: 500, body: 'boom' };
    const withCredentials = new PrometheusClient({
      baseUrl: stub.url.replace('http://', 'http://reader:pa%40ss@'),
      timeoutMs: 10_000,
    });
    const failure = withCredentials.query(QUERY, time);
    await expect(failure).rejects.toThrow(
      `Prometheus at ${stub.url} answered 500 Internal Server Error: boom`,
    );
    await expect(failure).rejects.not.toThrow('pa%40ss');
    expect(stub.requests[0].headers.authorization).toBe(
      `Basic ${Buffer.from('reader:pa@ss').toString('base64')}`,
    );
  });

  it.each<[string, StubAnswer, string]>([
    [
      "a query error, with Prometheus's error text",
      {
        status: 400,
        body: {
          status: 'error',
          errorType: 'bad_data',
          error: '1:52: parse error: unclosed left parenthesis',
        },
      },
      `answered 400 Bad Request: bad_data: 1:52: parse error: unclosed left parenthesis (query: ${QUERY})`,
    ],
    [
      'an execution error',
      {
        status: 422,
        body: {
          status: 'error',
          errorType: 'execution',
          error: 'query processing would load too many samples into memory',
        },
      },
      'answered 422 Unprocessable Entity: execution: query processing would load too many samples into memory',
    ],
    [
      'an error in a 200 answer',
      {
        body: {
          status: 'error',
          errorType: 'timeout',
          error: 'query timed out',
        },
      },
      'answered 200 OK: timeout: query timed out',
    ],
    [
      'a proxy error page',
      {
        status: 502,
        contentType: 'text/html',
        body: '<html>\n<h1>502 Bad Gateway</h1>\n</html>',
      },
      'answered 502 Bad Gateway: <html> <h1>502 Bad Gateway</h1> </html>',
    ],
    [
      'something other than JSON',
      { contentType: 'text/html', body: '<html>Grafana</html>' },
      "answered 200 OK with something other than Prometheus's API JSON (is baseUrl the server's URL, without /api/v1?): <html>Grafana</html>",
    ],
    [
      'JSON that is not the API',
      { body: { hello: 'world' } },
      "answered 200 OK with something other than Prometheus's API JSON",
    ],
    [
      'a range vector',
      {
        body: {
          status: 'success',
          data: { resultType: 'matrix', result: [] },
        },
      },
      `returned an unusable result: expected an instant vector, got a result of type matrix (query: ${QUERY})`,
    ],
  ])('throws naming the server for %s', async (_, reply, message) => {
    answer = reply;
    await expect(client().query(QUERY, time)).rejects.toThrow(
      `Prometheus at ${stub.url} ${message}`,
    );
  });

  it('gives up after the timeout', async () => {
    answer = 'hang';
    await expect(client({ timeoutMs: 200 }).query(QUERY, time)).rejects.toThrow(
      `Prometheus at ${stub.url} did not answer within 0.2s (glidepath.prometheus.timeout) for ${QUERY}`,
    );
  });

  it("stops when the caller's signal aborts", async () => {
    answer = 'hang';
    const controller = new AbortController();
    const pending = client().query(QUERY, time, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(
      `Prometheus at ${stub.url}: the query was aborted: ${QUERY}`,
    );
  });

  it('says when the server cannot be reached', async () => {
    const closed = await startStubServer(() => answer);
    await closed.stop();
    await expect(
      new PrometheusClient({ baseUrl: closed.url, timeoutMs: 5000 }).query(
        QUERY,
        time,
      ),
    ).rejects.toThrow(
      `Prometheus at ${closed.url} could not be reached: connect ECONNREFUSED`,
    );
  });
});
