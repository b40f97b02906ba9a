import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received. */
export type StubRequest = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  form: URLSearchParams;
};

/** What the stub answers; `hang` never answers. */
export type StubAnswer =
  | { status?: number; contentType?: string; body: string | object }
  | 'hang';

/**
 * A local HTTP server that answers every request with `answer(request)`,
 * for what a real Prometheus will not do on demand: odd statuses, bodies
 * that are not JSON, no answer at all.
 */
export async function startStubServer(
  answer: (request: StubRequest) => StubAnswer,
): Promise<{ url: string; requests: StubRequest[]; stop(): Promise<void> }> {
  const requests: StubRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      const request: StubRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        form: new URLSearchParams(body),
      };
      requests.push(request);
      const reply = answer(request);
      if (reply === 'hang') return;
      res.statusCode = reply.status ?? 200;
      const isText = typeof reply.body === 'string';
      res.setHeader(
        'Content-Type',
        reply.contentType ?? (isText ? 'text/plain' : 'application/json'),
      );
      res.end(isText ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A successful instant-query answer with one sample per value. */
export function vectorAnswer(
  ...samples: Array<{ labels?: Record<string, string>; value: string }>
): StubAnswer {
  return {
    body: {
      status: 'success',
      data: {
        resultType: 'vector',
        result: samples.map(s => ({
          metric: s.labels ?? {},
          value: [Date.now() / 1000, s.value],
        })),
      },
    },
  };
}
