/*
 * The flags bench's HTTP load, in a worker thread of its own so that
 * sending requests and reading responses does not run on the backend's event
 * loop: for each endpoint in turn, `warmup` untimed requests, then
 * `requests` timed ones with `concurrency` in flight at once; each time is
 * from sending the request to having read the whole body.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

const { baseUrl, headers, endpoints, concurrency, requests, warmup } =
  workerData;

async function one(path) {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}${path}`, { headers });
  const body = await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (!res.ok) {
    throw new Error(
      `GET ${path}: ${res.status} ${Buffer.from(body).toString('utf8')}`,
    );
  }
  return { ms, bytes: body.byteLength };
}

/** `count` requests of `path` with `concurrency` in flight. */
async function run(path, count) {
  const times = [];
  let bytes = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next += 1;
        const r = await one(path);
        times.push(r.ms);
        bytes = r.bytes;
      }
    }),
  );
  return { times, bytes, wallMs: performance.now() - t0 };
}

const results = [];
for (const { name, path } of endpoints) {
  await run(path, warmup);
  const { times, bytes, wallMs } = await run(path, requests);
  results.push({ name, path, times, bytes, wallMs });
}
parentPort.postMessage(results);
