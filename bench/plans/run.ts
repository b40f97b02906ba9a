/*
 * The plans bench (issue 21): a 200-service release plan in 10 waves on the
 * sandbox with its clock sped up, run by the real backend as a child process
 * on PostgreSQL; first without kills (the baseline, version 2.0.0 of every
 * service), then (version 3.0.0) with the backend SIGKILLed `--kills` times
 * at random points of the plan's run and restarted on the same databases.
 *
 *   bash bench/plans.sh [--layers 10] [--per-layer 20] [--kills 20]
 *     [--step-seconds 1] [--seed plans] [--json out.json] [--keep-logs]
 *
 * Measured from the databases (Glidepath's plan_events and plan_members,
 * the sandbox's journal glidepath_sandbox_events) and from the backend's
 * audit log (one `release-plan` audit event with `change: start-release`
 * per provider call the executor begins):
 *   - per wave boundary: from the `gate_passed` event to the first start of
 *     the next wave in the sandbox's journal (its `at`: when the start took
 *     effect in the simulation, the backend's clock); p50/p95/max, kills
 *     that fell in between counted apart;
 *   - how each plan ended: state, waves, members' states, one release of
 *     the plan's version per member (Glidepath's releases and the sandbox's
 *     journal), starts per key, calls repeated with a key after a kill;
 *   - run times.
 * Target: p95 under 1 s from a gate passing to the next wave's first
 * provider call; with the kills, every plan ends as without them and no
 * provider call is made twice.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import knexFactory, { Knex } from 'knex';
import { stringify } from 'yaml';
import { benchServices, catalogYaml, TEAMS } from './catalog';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const LAYERS = Number(arg('layers', '10'));
const PER_LAYER = Number(arg('per-layer', '20'));
const KILLS = Number(arg('kills', '20'));
const STEP_SECONDS = Number(arg('step-seconds', '1'));
const SEED = arg('seed', 'plans');
const JSON_OUT = process.argv.includes('--json') ? arg('json', '') : undefined;
const KEEP_LOGS = process.argv.includes('--keep-logs');
const POSTGRES_URL =
  process.env.GLIDEPATH_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const ROOT = resolve(__dirname, '../..');
const PLAN_TIMEOUT_MS = 20 * 60_000;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/** The value at quantile q of sorted values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return { n: 0, p50: NaN, p95: NaN, max: NaN };
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    max: sorted[sorted.length - 1],
  };
}

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '-');
const sec = (v: number) => `${(v / 1000).toFixed(1)} s`;

// --- The setup -----------------------------------------------------------

const dir = mkdtempSync(resolve(tmpdir(), 'glidepath-bench-plans-'));
const prefix = `glidepath_plans_${process.pid}_`;
const services = benchServices(LAYERS, PER_LAYER, SEED);
const catalogFile = resolve(dir, 'catalog.yaml');
writeFileSync(catalogFile, catalogYaml(services));
const logFile = resolve(dir, 'backend.log');

type AuditCall = {
  run: number;
  planId: string;
  entityRef: string;
  status: string;
  at: number;
};
const auditCalls: AuditCall[] = [];

/** One backend process; its output goes to `logFile`, its audit events parsed. */
class Backend {
  exited: number | null | undefined = undefined;
  private rest = '';

  constructor(readonly child: ChildProcess, readonly run: number) {
    const onData = (data: Buffer) => {
      const text = this.rest + data.toString();
      const lines = text.split('\n');
      this.rest = lines.pop() ?? '';
      appendFileSync(logFile, lines.map(l => `${l}\n`).join(''));
      for (const line of lines) this.parse(line);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', code => (this.exited = code));
  }

  private parse(line: string) {
    if (!line.includes('start-release')) return;
    try {
      const event = JSON.parse(line);
      const meta = event.meta ?? {};
      if (event.isAuditEvent && meta.change === 'start-release') {
        auditCalls.push({
          run: this.run,
          planId: meta.planId,
          entityRef: meta.entityRef,
          status: event.status,
          at: Date.now(),
        });
      }
    } catch {
      // Not a JSON log line.
    }
  }

  kill(): Promise<void> {
    if (this.exited !== undefined) return Promise.resolve();
    const exited = new Promise<void>(r => this.child.once('exit', () => r()));
    this.child.kill('SIGKILL');
    return exited;
  }

  async stop(): Promise<void> {
    if (this.exited !== undefined) return;
    const exited = new Promise<void>(r => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

async function main() {
  const started = Date.now();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const pinned = Object.fromEntries(
    services.map(s => [s.name, ['1.0.0', '1.1.0']]),
  );
  const schedule = (seconds: number) => ({
    frequency: { seconds },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 1 },
  });
  const config = {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'pg', connection: POSTGRES_URL, prefix },
      // Audit events at warn, so that they are logged next to LOG_LEVEL=warn:
      // the bench counts the provider calls the executor begins from them.
      auditor: {
        severityLogLevelMappings: { low: 'warn', medium: 'warn', high: 'warn' },
      },
    },
    // The plans are made by a signed-in user, the guest (a member of the
    // four owning teams): the portal's ownership policy lets no service
    // principal (a static token) change an entity, whatever
    // glidepath.actions.allowedServices says.
    auth: {
      environment: 'development',
      providers: {
        guest: {
          userEntityRef: 'user:default/guest',
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    permission: { enabled: true },
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
      locations: [{ type: 'file', target: catalogFile }],
      processingInterval: { minutes: 30 },
    },
    scaffolder: {},
    glidepath: {
      analysis: { enabled: false },
      dora: { weeklyReport: { enabled: false } },
      sync: { schedule: schedule(1) },
      plans: { schedule: schedule(1) },
      sandbox: {
        seed: SEED,
        stepDuration: { seconds: STEP_SECONDS },
        faultRate: 0,
        rollbackFailureShare: 0,
        pinnedReleases: pinned,
        history: { enabled: false },
      },
    },
  };
  const configFile = resolve(dir, 'app-config.plans.yaml');
  writeFileSync(configFile, stringify(config));

  let runNumber = 0;
  async function startBackend(): Promise<{ backend: Backend; ms: number }> {
    const t0 = Date.now();
    runNumber += 1;
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        resolve(ROOT, 'bench/plans/backend.ts'),
        '--config',
        configFile,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const backend = new Backend(child, runNumber);
    for (;;) {
      if (backend.exited !== undefined) {
        throw new Error(
          `The backend exited (${backend.exited}); see ${logFile}`,
        );
      }
      try {
        const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
        if (res.ok) break;
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    return { backend, ms: Date.now() - t0 };
  }

  const db: Knex = knexFactory({
    client: 'pg',
    connection: `${POSTGRES_URL}/${prefix}glidepath`,
    pool: { min: 0, max: 2 },
  });

  let { backend } = await startBackend();
  console.log(
    `plans bench: ${services.length} services in ${LAYERS} layers, sandbox step ${STEP_SECONDS} s, ${KILLS} kills; logs in ${logFile}`,
  );

  async function signIn(): Promise<string> {
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        });
        if (res.ok) {
          const { identity, token: userToken } = (await res.json())
            .backstageIdentity;
          if (
            TEAMS.every(t =>
              identity.ownershipEntityRefs.includes(`group:default/${t}`),
            )
          ) {
            return userToken as string;
          }
        }
      } catch {
        // Not up yet.
      }
      if (i > 600) throw new Error('The guest could not sign in');
      await sleep(500);
    }
  }

  /** Every service's pinned release read by the sync. */
  async function waitForSync() {
    for (let i = 0; ; i++) {
      const [{ n }] = await db('releases')
        .countDistinct({ n: 'entity_ref' })
        .where('entity_ref', 'like', 'component:default/plan-l%');
      if (Number(n) >= services.length) return;
      if (i > 1200) throw new Error(`The sync read ${n} services only`);
      await sleep(500);
    }
  }

  async function createPlan(version: string): Promise<string> {
    const userToken = await signIn();
    const body = {
      title: `Bench ${version}: ${services.length} services`,
      members: services.map(s => ({
        entityRef: `component:default/${s.name}`,
        version,
        environment: 'production',
      })),
      gates: {
        soakMinutes: 0,
        analysisPassed: false,
        rollbackTestPassed: false,
        checklistItems: [],
      },
      failurePolicy: 'halt',
    };
    for (let i = 0; ; i++) {
      const res = await fetch(`${baseUrl}/api/glidepath/plans`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${userToken}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': `bench-plans-${version}`,
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status === 201 || res.status === 200) {
        return JSON.parse(text).id as string;
      }
      if (i > 60 || (res.status !== 404 && res.status < 500)) {
        throw new Error(`POST /plans: ${res.status} ${text.slice(0, 500)}`);
      }
      await sleep(1000);
    }
  }

  async function planRow(id: string) {
    return db('plans').where({ id }).first();
  }

  const FINISHED = ['succeeded', 'failed', 'rolled_back', 'aborted'];

  async function waitForEnd(id: string) {
    const t0 = Date.now();
    for (;;) {
      const plan = await planRow(id);
      if (FINISHED.includes(plan.state)) return plan;
      if (Date.now() - t0 > PLAN_TIMEOUT_MS) {
        throw new Error(
          `Plan ${id} is still ${plan.state} (wave ${
            plan.current_wave
          }) after ${sec(PLAN_TIMEOUT_MS)}: ${plan.state_reason ?? ''}`,
        );
      }
      if (backend.exited !== undefined) {
        throw new Error(`The backend exited (${backend.exited})`);
      }
      await sleep(500);
    }
  }

  await waitForSync();

  // --- The baseline ----------------------------------------------------
  const baselineT0 = Date.now();
  const baselineId = await createPlan('2.0.0');
  await waitForEnd(baselineId);
  const baselineMs = Date.now() - baselineT0;
  console.log(`baseline plan ${baselineId}: ended in ${sec(baselineMs)}`);

  // --- The killed run ---------------------------------------------------
  // Two kills per wave, each at a point drawn at random: while the wave's
  // provider calls are made (0-150 ms after its first member_starting
  // event), then 0-500 ms after the k-th of its members was released, k
  // drawn from 1 to the wave's size (its last release comes just before
  // the gate passes, so some kills fall between a gate and the next wave's
  // first call); the last wave's second kill 0-1,000 ms after a restart. A
  // point the plan went past while the backend was down is taken at once
  // after the restart.
  type Kill = {
    n: number;
    mode: string;
    uptimeMs: number;
    at: number;
    planState: string;
    wave: number | null;
    /** Members whose start key was stored, with no call recorded as made. */
    unmarked: number;
    /** Of those, the ones whose start the sandbox had journaled already. */
    unmarkedJournaled: number;
    restartMs: number;
  };
  const kills: Kill[] = [];
  const killedT0 = Date.now();
  const killedId = await createPlan('3.0.0');
  let upSince = Date.now();
  const waveSizes = (await db('plan_members')
    .where({ plan_id: killedId })
    .select('wave')
    .count({ n: '*' })
    .groupBy('wave')
    .orderBy('wave')) as Array<{ wave: number; n: string }>;

  /** Polls `ready` every 20 ms; false when the plan ended first. */
  async function until(ready: () => Promise<boolean>): Promise<boolean> {
    const t0 = Date.now();
    for (;;) {
      if (await ready()) return true;
      const p = await planRow(killedId);
      if (FINISHED.includes(p.state)) return false;
      if (Date.now() - t0 > PLAN_TIMEOUT_MS) {
        throw new Error(`Plan ${killedId} stuck: ${p.state_reason ?? p.state}`);
      }
      await sleep(20);
    }
  }
  const eventCount = async (kind: string, wave: number, op: '=' | '>=') => {
    const [{ n }] = await db('plan_events')
      .where({ plan_id: killedId, kind })
      .andWhere('wave', op, wave)
      .count({ n: '*' });
    return Number(n);
  };

  async function killAndRestart(mode: string) {
    const uptimeMs = Date.now() - upSince;
    const at = Date.now();
    await backend.kill();
    const snapshot = await planRow(killedId);
    const unmarked = (await db('plan_members')
      .where({ plan_id: killedId, state: 'starting' })
      .whereNotNull('start_key')
      .whereNull('start_called_at')
      .select('start_key')) as Array<{ start_key: string }>;
    const journaled = unmarked.length
      ? await db('glidepath_sandbox_events')
          .whereIn(
            'idempotency_key',
            unmarked.map(m => m.start_key),
          )
          .count({ n: '*' })
      : [{ n: 0 }];
    const restarted = await startBackend();
    backend = restarted.backend;
    upSince = Date.now();
    const kill: Kill = {
      n: kills.length + 1,
      mode,
      uptimeMs,
      at,
      planState: snapshot.state,
      wave: snapshot.current_wave,
      unmarked: unmarked.length,
      unmarkedJournaled: Number(journaled[0].n),
      restartMs: restarted.ms,
    };
    kills.push(kill);
    console.log(
      `kill ${kill.n} (${mode}) after ${sec(uptimeMs)} up: plan ${
        snapshot.state
      }, wave ${(snapshot.current_wave ?? 0) + 1}, ${
        unmarked.length
      } starts unmarked (${
        kill.unmarkedJournaled
      } already in the journal); back in ${sec(restarted.ms)}`,
    );
  }

  for (const { wave, n: size } of waveSizes) {
    if (kills.length >= KILLS) break;
    if (
      !(await until(
        async () => (await eventCount('member_starting', wave, '>=')) > 0,
      ))
    ) {
      break;
    }
    await sleep(Math.random() * 150);
    await killAndRestart(`wave ${wave + 1}'s starts`);
    if (kills.length >= KILLS) break;
    if (wave === waveSizes.length - 1) {
      // The last wave's releases end together, and the plan with them in
      // the same run: this kill comes 0-1,000 ms after the restart, before
      // the executor takes the dead process's lease over.
      await sleep(Math.random() * 1000);
      await killAndRestart(`wave ${wave + 1}, just after a restart`);
      break;
    }
    const k = 1 + Math.floor(Math.random() * Number(size));
    if (
      !(await until(
        async () =>
          (await eventCount('member_released', wave, '=')) >= k ||
          (await eventCount('member_starting', wave + 1, '>=')) > 0,
      ))
    ) {
      break;
    }
    await sleep(Math.random() * 500);
    await killAndRestart(`wave ${wave + 1}'s release ${k} of ${size}`);
  }
  await waitForEnd(killedId);
  const killedMs = Date.now() - killedT0;
  console.log(`killed plan ${killedId}: ended in ${sec(killedMs)}`);

  // --- The figures -----------------------------------------------------
  async function measure(planId: string, version: string, killAts: number[]) {
    const plan = await planRow(planId);
    const waves = await db('plan_waves')
      .where({ plan_id: planId })
      .orderBy('idx');
    const members = await db('plan_members')
      .where({ plan_id: planId })
      .orderBy('idx');
    const events = await db('plan_events')
      .where({ plan_id: planId })
      .orderBy('seq');
    const journal = (await db('glidepath_sandbox_events')
      .where({ kind: 'start' })
      .andWhere('idempotency_key', 'like', `plan:${planId}:%`)
      .select('service', 'idempotency_key', 'at', 'payload')) as Array<{
      service: string;
      idempotency_key: string;
      at: string;
      payload: string;
    }>;
    const allStarts = (await db('glidepath_sandbox_events')
      .where({ kind: 'start' })
      .select('service', 'payload')) as Array<{
      service: string;
      payload: string;
    }>;
    const releases = (await db('releases')
      .where({ version })
      .andWhere('entity_ref', 'like', 'component:default/plan-l%')
      .select('entity_ref', 'phase')) as Array<{
      entity_ref: string;
      phase: string;
    }>;

    const waveOf = new Map<string, number>();
    for (const m of members) {
      waveOf.set(`plan:${planId}:member:${m.idx}:start`, m.wave);
    }
    const firstCall = new Map<number, number>();
    for (const row of journal) {
      const wave = waveOf.get(row.idempotency_key);
      if (wave === undefined) continue;
      const at = Number(row.at);
      firstCall.set(wave, Math.min(firstCall.get(wave) ?? Infinity, at));
    }
    const time = (e: { at: Date | string }) => new Date(e.at).getTime();
    const firstEvent = (kind: string, wave: number) => {
      const e = events.find(x => x.kind === kind && x.wave === wave);
      return e ? time(e) : NaN;
    };
    const boundaries = events
      .filter(e => e.kind === 'gate_passed')
      .map(e => {
        const wave = e.wave as number;
        const gateAt = time(e);
        const callAt = firstCall.get(wave + 1) ?? NaN;
        const killed = killAts.some(k => k >= gateAt && k <= callAt);
        return {
          wave: wave + 1,
          toWaveStarted: firstEvent('wave_started', wave + 1) - gateAt,
          toMemberStarting: firstEvent('member_starting', wave + 1) - gateAt,
          toProviderCall: callAt - gateAt,
          killed,
        };
      });
    const startedAt = events.find(e => e.kind === 'started');
    const firstWave = startedAt
      ? (firstCall.get(0) ?? NaN) - time(startedAt)
      : NaN;

    const perKey = new Map<string, number>();
    for (const row of journal) {
      perKey.set(
        row.idempotency_key,
        (perKey.get(row.idempotency_key) ?? 0) + 1,
      );
    }
    const startsOfVersion = new Map<string, number>();
    for (const row of allStarts) {
      if (JSON.parse(row.payload).version !== version) continue;
      startsOfVersion.set(
        row.service,
        (startsOfVersion.get(row.service) ?? 0) + 1,
      );
    }
    const releasesPer = new Map<string, number>();
    for (const r of releases) {
      releasesPer.set(r.entity_ref, (releasesPer.get(r.entity_ref) ?? 0) + 1);
    }
    const calls = auditCalls.filter(
      c => c.planId === planId && c.status === 'initiated',
    );
    const callsPer = new Map<string, number>();
    for (const c of calls) {
      callsPer.set(c.entityRef, (callsPer.get(c.entityRef) ?? 0) + 1);
    }
    const count = (m: Map<string, number>, pred: (n: number) => boolean) =>
      [...m.values()].filter(pred).length;

    return {
      planId,
      version,
      state: plan.state,
      stateReason: plan.state_reason,
      runMs: time({ at: plan.finished_at }) - time({ at: plan.started_at }),
      waves: waves.map(w => w.state),
      shape: members.map(m => `${m.entity_ref}@${m.wave}:${m.state}`).sort(),
      membersReleased: members.filter(m => m.state === 'released').length,
      members: members.length,
      firstWaveMs: firstWave,
      boundaries,
      journalKeys: perKey.size,
      keysStartedTwice: count(perKey, n => n > 1),
      servicesStartedOnce: count(startsOfVersion, n => n === 1),
      servicesStartedTwice: count(startsOfVersion, n => n > 1),
      releasesOnce: count(releasesPer, n => n === 1),
      releasesTwice: count(releasesPer, n => n > 1),
      releasesSucceeded: releases.filter(r => r.phase === 'succeeded').length,
      callsBegun: calls.length,
      membersCalledTwice: count(callsPer, n => n > 1),
      membersNeverCalled: members.length - callsPer.size,
    };
  }

  const baseline = await measure(baselineId, '2.0.0', []);
  const killed = await measure(
    killedId,
    '3.0.0',
    kills.map(k => k.at),
  );
  await backend.stop();
  await db.destroy();

  const sameShape =
    JSON.stringify(baseline.shape) === JSON.stringify(killed.shape) &&
    JSON.stringify(baseline.waves) === JSON.stringify(killed.waves);
  const report = (r: typeof baseline) => {
    const clean = r.boundaries.filter(b => !b.killed);
    const dirty = r.boundaries.filter(b => b.killed);
    const s = stats(clean.map(b => b.toProviderCall));
    console.log(
      `\n${r.version} (${r.planId}): ${r.state}${
        r.state === 'succeeded' ? '' : ` (${r.stateReason})`
      }, ${r.waves.length} waves (${[...new Set(r.waves)].join(', ')}), ${
        r.membersReleased
      }/${r.members} members released; ran ${sec(r.runMs)}`,
    );
    console.log(
      `  gate_passed -> next wave's first provider call (${
        s.n
      } boundaries without a kill): p50 ${ms(s.p50)}, p95 ${ms(
        s.p95,
      )}, max ${ms(s.max)}`,
    );
    console.log(
      `  per boundary (wave: -> wave_started / -> first member_starting / -> first provider call): ${r.boundaries
        .map(
          b =>
            `${b.wave}: ${ms(b.toWaveStarted)} / ${ms(
              b.toMemberStarting,
            )} / ${ms(b.toProviderCall)}${b.killed ? ' (killed between)' : ''}`,
        )
        .join('; ')}`,
    );
    if (dirty.length) {
      console.log(
        `  with a kill in between: ${dirty
          .map(b => `wave ${b.wave} ${sec(b.toProviderCall)}`)
          .join(', ')}`,
      );
    }
    console.log(
      `  plan started -> wave 1's first provider call: ${ms(r.firstWaveMs)}`,
    );
    console.log(
      `  sandbox journal: ${r.journalKeys} keys, ${r.keysStartedTwice} started twice; ${r.servicesStartedOnce} services started once with ${r.version}, ${r.servicesStartedTwice} twice`,
    );
    console.log(
      `  Glidepath's releases of ${r.version}: ${r.releasesOnce} services with one, ${r.releasesTwice} with more, ${r.releasesSucceeded} succeeded`,
    );
    console.log(
      `  provider calls begun (audit log): ${r.callsBegun}; members called more than once (same key): ${r.membersCalledTwice}; never called: ${r.membersNeverCalled}`,
    );
    return { ...s, dirty: dirty.map(b => b.toProviderCall) };
  };
  const b = report(baseline);
  const k = report(killed);
  const killsDuringRun = kills.filter(
    x => !FINISHED.includes(x.planState),
  ).length;
  console.log(
    `\nkills: ${kills.length}, ${killsDuringRun} while the plan ran, ${
      kills.filter(x => x.unmarked > 0).length
    } with starts in flight (${kills.reduce(
      (n, x) => n + x.unmarked,
      0,
    )} keys stored without the call marked made, ${kills.reduce(
      (n, x) => n + x.unmarkedJournaled,
      0,
    )} of them already in the sandbox's journal); restarts ${sec(
      Math.min(...kills.map(x => x.restartMs)),
    )}-${sec(Math.max(...kills.map(x => x.restartMs)))}`,
  );
  console.log(
    `the killed plan ends as the baseline (waves, members, states): ${
      sameShape ? 'yes' : 'NO'
    }`,
  );
  console.log(
    `total: ${sec(Date.now() - started)} (baseline ${sec(
      baselineMs,
    )}, killed run ${sec(killedMs)} from its POST to its end)`,
  );
  const met =
    killsDuringRun === Math.min(KILLS, 2 * LAYERS) &&
    b.p95 < 1000 &&
    k.p95 < 1000 &&
    sameShape &&
    baseline.state === 'succeeded' &&
    killed.state === 'succeeded' &&
    killed.keysStartedTwice === 0 &&
    killed.servicesStartedTwice === 0 &&
    killed.releasesTwice === 0 &&
    killed.servicesStartedOnce === services.length &&
    killed.releasesOnce === services.length;
  console.log(`target met: ${met ? 'yes' : 'NO'}`);

  if (JSON_OUT) {
    writeFileSync(
      JSON_OUT,
      JSON.stringify(
        {
          layers: LAYERS,
          perLayer: PER_LAYER,
          stepSeconds: STEP_SECONDS,
          baseline: { ...baseline, shape: undefined },
          killed: { ...killed, shape: undefined },
          kills,
          sameShape,
          met,
        },
        null,
        2,
      ),
    );
  }
  const admin = knexFactory({
    client: 'pg',
    connection: `${POSTGRES_URL}/postgres`,
  });
  try {
    const { rows } = await admin.raw(
      'select datname from pg_database where datname like ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.destroy();
  }
  if (!KEEP_LOGS) rmSync(dir, { recursive: true, force: true });
  process.exitCode = met ? 0 : 1;
}

main().catch(error => {
  console.error(error);
  console.error(`Logs and config: ${dir} (databases ${prefix}*)`);
  process.exit(2);
});
