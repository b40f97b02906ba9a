/*
 * How fast does a rollback get from the API to the provider, and back to the
 * API as a phase change?
 *
 *   bash bench/release-actions.sh [--actions 1000] [--database sqlite|postgres]
 *
 * Starts the Glidepath backend plugin in-process (Backstage's test backend:
 * real HTTP router, OpenAPI validation, store, action runner and sync; mocked
 * auth tokens and an allow-all permission service) with the sandbox provider
 * over N catalog entities, then for each entity in turn: POST a rollback of
 * its current release, note when the provider's performAction is entered, and
 * poll GET /releases/{id} every millisecond until the phase reads
 * rolled_back. Prints median, p99 and max of each interval.
 */
import { fn } from 'jest-mock';
// Backstage's service mocks are jest mocks; outside jest they need jest.fn.
(globalThis as any).jest = { fn };
// eslint-disable-next-line import/first
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  SANDBOX_DEFAULTS,
  SandboxRolloutProvider,
} from '@glidepath/backstage-plugin-backend-module-sandbox';
import type { RolloutActionRequest } from '@glidepath/backstage-plugin-node';
import knexFactory, { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import {
  component,
  startGlidepathTestBackend,
} from '../plugins/glidepath-backend/src/__testUtils__/glidepathTestBackend';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

function describe(label: string, values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const fmt = (v: number) => `${v.toFixed(1)} ms`;
  return `${label.padEnd(34)} median ${fmt(quantile(sorted, 0.5))}  p99 ${fmt(
    quantile(sorted, 0.99),
  )}  max ${fmt(sorted[sorted.length - 1])}`;
}

async function database(kind: string): Promise<Knex | undefined> {
  if (kind === 'sqlite') return undefined;
  const url =
    process.env.GLIDEPATH_TEST_POSTGRES_URL ??
    'postgresql://postgres@127.0.0.1:5432';
  const name = `glidepath_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: `${url}/postgres` });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const knex = knexFactory({ client: 'pg', connection: `${url}/${name}` });
  (knex as any).__drop = async () => {
    await knex.destroy();
    const again = knexFactory({ client: 'pg', connection: `${url}/postgres` });
    await again.raw(`DROP DATABASE IF EXISTS ${name}`);
    await again.destroy();
  };
  return knex;
}

async function main() {
  const actions = Number(arg('actions', '1000'));
  const databaseKind = arg('database', 'sqlite');
  const knex = await database(databaseKind);

  const frozen = new Date();
  const sandbox = new SandboxRolloutProvider({
    ...SANDBOX_DEFAULTS,
    seed: 'bench',
    // The simulation's clock stands still: no new release starts while the
    // bench runs, so each entity's current release stays the one the first
    // sync stored.
    now: () => frozen,
    historySize: 1,
    faultRate: 0,
  });
  const calledAt = new Map<string, number>();
  const provider = {
    id: sandbox.id,
    simulated: sandbox.simulated,
    listRollouts: sandbox.listRollouts.bind(sandbox),
    performAction: (req: RolloutActionRequest) => {
      calledAt.set(req.providerReleaseId, performance.now());
      return sandbox.performAction(req);
    },
  };
  // A few entities' current release cannot be rolled back (already rolled
  // back by the sandbox's history); have spares so that exactly N run.
  const names = Array.from(
    { length: Math.ceil(actions * 1.1) },
    (_, i) => `svc-${String(i).padStart(4, '0')}`,
  );
  const harness = await startGlidepathTestBackend({
    providers: [provider],
    entities: names.map(n =>
      component(n, 'group:default/bench', {
        'glidepath.dev/rollout': `sandbox:${n}`,
        'glidepath.dev/strategy': 'canary',
      }),
    ),
    knex,
  });
  const auth = mockCredentials.user.header('user:default/bench');
  const t0 = performance.now();
  await harness.sync();
  const syncMs = performance.now() - t0;

  const toCall: number[] = [];
  const toAccepted: number[] = [];
  const toSeen: number[] = [];
  let skipped = 0;
  for (const name of names) {
    if (toCall.length === actions) break;
    const summary = await request(harness.server)
      .get(`/api/glidepath/entities/component/default/${name}`)
      .set('Authorization', auth);
    const current = summary.body.current;
    if (!current || !summary.body.allowedActions.includes('rollback')) {
      skipped += 1;
      continue;
    }
    const start = performance.now();
    const res = await request(harness.server)
      .post(`/api/glidepath/releases/${current.id}/actions`)
      .set('Authorization', auth)
      .set('Idempotency-Key', `bench-${name}`)
      .send({ action: 'rollback', reason: 'bench' });
    if (res.status !== 202) {
      throw new Error(`rollback of ${name}: ${res.status} ${res.text}`);
    }
    toAccepted.push(performance.now() - start);
    for (;;) {
      const detail = await request(harness.server)
        .get(`/api/glidepath/releases/${current.id}`)
        .set('Authorization', auth);
      if (detail.body.release.phase === 'rolled_back') break;
      const action = detail.body.actions.find((a: any) => a.id === res.body.id);
      if (action?.state === 'failed') {
        throw new Error(`rollback of ${name} failed: ${action.error}`);
      }
      await new Promise(r => setTimeout(r, 1));
    }
    toSeen.push(performance.now() - start);
    toCall.push(calledAt.get(current.providerRef)! - start);
  }

  console.log(
    `Glidepath rollback latency: ${
      toCall.length
    } rollbacks on the sandbox, ${databaseKind}, ${
      names.length
    } entities (first sync ${syncMs.toFixed(
      0,
    )} ms; ${skipped} entities skipped: no release to roll back)`,
  );
  console.log(describe('request -> 202 accepted', toAccepted));
  console.log(describe('request -> provider call', toCall));
  console.log(describe('request -> rolled_back seen by API', toSeen));
  const p99 = quantile(
    [...toCall].sort((a, b) => a - b),
    0.99,
  );
  console.log(
    `target: p99 to the provider call under 1000 ms: ${
      p99 < 1000 ? 'met' : 'NOT met'
    }`,
  );
  await harness.stop();
  await (knex as any)?.__drop?.();
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
