import { mockCredentials } from '@backstage/backend-test-utils';
import type { ReleasePhase } from '@glidepath/backstage-plugin-common';
import type {
  ObservedRelease,
  ObservedRollout,
  RolloutActionRequest,
  RolloutProvider,
  RolloutTarget,
  StartReleaseRequest,
} from '@glidepath/backstage-plugin-node';
import request from 'supertest';
import {
  catalogWithRelations,
  EntitySketch,
} from '../__testUtils__/catalogWithRelations';
import { startGlidepathTestBackend } from '../__testUtils__/glidepathTestBackend';

const OWNER = 'user:default/owner';
const owner = mockCredentials.user.header(OWNER);
const STRANGER = 'user:default/stranger';
const stranger = mockCredentials.user.header(STRANGER);
const ADMIN = 'user:default/admin';
const admin = mockCredentials.user.header(ADMIN);

/**
 * A provider that starts releases when asked (once per key, as the
 * interface asks), keeps every release of each target, and rolls a
 * completed release back as Argo Rollouts' undo does.
 */
class StartingProvider implements RolloutProvider {
  readonly id = 'fake';
  readonly releases = new Map<string, ObservedRelease[]>();
  readonly starts: StartReleaseRequest[] = [];
  readonly actions: Array<{ action: string; ref: string }> = [];
  private readonly keys = new Set<string>();
  private counter = 0;
  canStart = true;

  add(ref: string, patch: Partial<ObservedRelease>): ObservedRelease {
    this.counter += 1;
    const now = new Date(Date.now() + this.counter);
    const previous = this.releases.get(ref)?.at(-1);
    const release: ObservedRelease = {
      providerReleaseId: `${ref}@${this.counter}`,
      version: '1.0.0',
      previousVersion: previous?.version ?? null,
      environment: 'production',
      strategy: 'canary',
      phase: 'progressing',
      steps: [
        {
          kind: 'set_weight',
          weight: 20,
          description: '20%',
          status: 'running',
        },
        {
          kind: 'set_weight',
          weight: 100,
          description: '100%',
          status: 'pending',
        },
      ],
      currentStepIndex: 0,
      canaryWeight: 20,
      message: null,
      startedBy: { kind: 'provider', ref: 'fake' },
      commit: null,
      startedAt: now,
      updatedAt: now,
      finishedAt: null,
      ...patch,
    };
    this.releases.set(ref, [...(this.releases.get(ref) ?? []), release]);
    return release;
  }

  latest(ref: string): ObservedRelease {
    return this.releases.get(ref)!.at(-1)!;
  }

  finish(ref: string, phase: ReleasePhase, message: string | null = null) {
    const release = this.latest(ref);
    release.phase = phase;
    release.message = message;
    release.finishedAt = new Date();
    release.updatedAt = release.finishedAt;
  }

  async listRollouts(targets: RolloutTarget[]): Promise<ObservedRollout[]> {
    return targets.map(t => ({
      entityRef: t.entityRef,
      releases: (this.releases.get(t.ref) ?? []).map(r => ({
        ...r,
        steps: r.steps.map(s => ({ ...s })),
      })),
    }));
  }

  async performAction(req: RolloutActionRequest) {
    this.actions.push({ action: req.action, ref: req.target.ref });
    const release = (this.releases.get(req.target.ref) ?? []).find(
      r => r.providerReleaseId === req.providerReleaseId,
    );
    if (!release) throw new Error(`no release ${req.providerReleaseId}`);
    if (req.action === 'rollback' && release.phase === 'succeeded') {
      this.add(req.target.ref, {
        version: release.previousVersion!,
        phase: 'succeeded',
        finishedAt: new Date(),
      });
      return { message: `undo to ${release.previousVersion}` };
    }
    if (req.action === 'rollback') release.phase = 'rolled_back';
    if (req.action === 'promote') release.phase = 'succeeded';
    release.updatedAt = new Date();
    return {};
  }

  startRelease?: RolloutProvider['startRelease'] = async req => {
    if (!this.canStart) throw new Error('the cluster said no');
    this.starts.push(req);
    if (this.keys.has(req.idempotencyKey)) return { message: 'seen' };
    this.keys.add(req.idempotencyKey);
    this.add(req.target.ref, { version: req.version });
    return { message: `set image to ${req.version}` };
  };
}

const rollout = (name: string) => ({ 'glidepath.dev/rollout': `fake:${name}` });

/** web depends on api, which depends on db; all owned by team-a. */
function shop(extra: Partial<Record<string, Partial<EntitySketch>>> = {}) {
  return catalogWithRelations([
    { kind: 'Group', name: 'team-a' },
    {
      name: 'web',
      owner: 'team-a',
      dependsOn: ['api'],
      annotations: rollout('web'),
      ...extra.web,
    },
    {
      name: 'api',
      owner: 'team-a',
      dependsOn: ['db'],
      annotations: rollout('api'),
      ...extra.api,
    },
    { name: 'db', owner: 'team-a', annotations: rollout('db'), ...extra.db },
  ]);
}

/** Entities a test took out of the catalog (see `removed`). */
const removedRefs = new Set<string>();

async function start(
  options: {
    provider?: StartingProvider;
    extra?: Partial<Record<string, Partial<EntitySketch>>>;
    /** More of `glidepath` config (e.g. `calendar`). */
    glidepath?: object;
  } = {},
) {
  const provider = options.provider ?? new StartingProvider();
  for (const name of ['web', 'api', 'db']) {
    provider.add(name, { phase: 'succeeded', finishedAt: new Date() });
  }
  const harness = await startGlidepathTestBackend({
    providers: [provider],
    entities: shop(options.extra),
    // The stranger may not read db in the catalog (a restricted service).
    readable: (user, entityRef) =>
      !(user === STRANGER && entityRef === 'component:default/db'),
    removed: entityRef => removedRefs.has(entityRef),
    allow: (user, _resource, permission) =>
      user === undefined ||
      user === ADMIN ||
      (user === OWNER && permission !== 'glidepath.freeze.override') ||
      (user === STRANGER && !permission.startsWith('glidepath.')),
    config: {
      glidepath: { analysis: { enabled: false }, ...options.glidepath },
    },
  });
  await harness.sync();
  const api = () => request(harness.server);
  const plan = async (id: string) =>
    (await api().get(`/api/glidepath/plans/${id}`).set('Authorization', owner))
      .body;
  const run = async () => {
    await harness.sync();
    await harness.runTask('glidepath-plans');
  };
  const create = (body: object, key = `k-${Math.random()}`) =>
    api()
      .post('/api/glidepath/plans')
      .set('Authorization', owner)
      .set('Idempotency-Key', key)
      .send(body);
  return { ...harness, provider, api, plan, run, create };
}

const THREE = [
  {
    entityRef: 'component:default/web',
    version: '2.0.0',
    environment: 'production',
  },
  {
    entityRef: 'component:default/api',
    version: '2.0.0',
    environment: 'production',
  },
  { entityRef: 'db', version: '2.0.0', environment: 'production' },
];

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean) {
  let value = await read();
  for (let i = 0; i < 100 && !ok(value); i++) {
    await new Promise(r => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

describe('release plans', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map(stop => stop()));
    removedRefs.clear();
  });

  it('shows a plan only to callers who may read all its members in the catalog', async () => {
    const h = await start();
    stops.push(h.stop);
    const created = await h.create({ title: 'Shop 2.0', members: THREE });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const read = (who: string, path: string) =>
      h.api().get(`/api/glidepath${path}`).set('Authorization', who);
    // The owner reads it everywhere.
    expect((await read(owner, `/plans/${id}`)).body.id).toBe(id);
    expect(
      (await read(owner, '/plans')).body.items.map((p: any) => p.id),
    ).toEqual([id]);
    expect(
      (await read(owner, '/entities/component/default/web/plans')).body.items,
    ).toHaveLength(1);
    // The stranger, who cannot read db, cannot see that it is released.
    const hidden = await read(stranger, `/plans/${id}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toBe(`No release plan ${id}`);
    expect((await read(stranger, '/plans')).body.items).toEqual([]);
    expect(
      (await read(stranger, '/entities/component/default/web/plans')).body
        .items,
    ).toEqual([]);

    // A member since taken out of the catalog hides the plan from no one:
    // its owners still see what became of it.
    removedRefs.add('component:default/api');
    expect((await read(owner, `/plans/${id}`)).status).toBe(200);
    expect(
      (await read(owner, '/plans')).body.items.map((p: any) => p.id),
    ).toEqual([id]);
    expect((await read(stranger, `/plans/${id}`)).status).toBe(404);
  });

  it('releases the members wave by wave in dependency order, then frees them', async () => {
    const h = await start();
    stops.push(h.stop);
    const created = await h.create({ title: 'Shop 2.0', members: THREE });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.waves).toHaveLength(3);
    const waveOf = (name: string) =>
      created.body.members.find((m: any) => m.entityRef.endsWith(name)).wave;
    expect([waveOf('db'), waveOf('api'), waveOf('web')]).toEqual([0, 1, 2]);
    expect(created.body.state).toBe('scheduled');

    await h.run();
    let plan = await h.plan(id);
    expect(plan.state).toBe('running');
    expect(h.provider.starts.map(s => s.target.ref)).toEqual(['db']);
    expect(
      plan.members.find((m: any) => m.entityRef.endsWith('db')).state,
    ).toBe('starting');

    for (const [name, next] of [
      ['db', 'api'],
      ['api', 'web'],
    ]) {
      await h.run();
      h.provider.finish(name, 'succeeded');
      await h.run();
      expect(h.provider.starts.map(s => s.target.ref).at(-1)).toBe(next);
    }
    await h.run();
    h.provider.finish('web', 'succeeded');
    await h.run();
    plan = await h.plan(id);
    expect(plan.state).toBe('succeeded');
    expect(plan.waves.map((w: any) => w.state)).toEqual([
      'done',
      'done',
      'done',
    ]);
    expect(h.provider.starts.map(s => s.target.ref)).toEqual([
      'db',
      'api',
      'web',
    ]);
    // One start per member, each with its own key.
    expect(new Set(h.provider.starts.map(s => s.idempotencyKey)).size).toBe(3);
    expect(plan.events.map((e: any) => e.kind)).toEqual(
      expect.arrayContaining([
        'created',
        'started',
        'wave_started',
        'gate_passed',
        'succeeded',
      ]),
    );
    // The owners heard of the start, each gate and the end.
    const titles = h.notifications.map(n => n.payload.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Release plan "Shop 2.0" started',
        expect.stringContaining('wave 2 goes next'),
        'Release plan "Shop 2.0" succeeded',
      ]),
    );
    expect(h.notifications[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/team-a'],
    });
    // Over: its members may be planned again.
    expect((await h.create({ title: 'Again', members: THREE })).status).toBe(
      201,
    );
  });

  it("asks for the next wave's start before telling the owners its gate passed", async () => {
    const h = await start();
    stops.push(h.stop);
    // For each notice: the starts the provider had been asked for when it
    // was sent.
    const startsAtNotice: Array<[string, number]> = [];
    const push = h.notifications.push.bind(h.notifications);
    h.notifications.push = (...sent) => {
      for (const n of sent) {
        startsAtNotice.push([n.payload.title, h.provider.starts.length]);
      }
      return push(...sent);
    };
    const { body } = await h.create({ title: 'Shop 2.2', members: THREE });
    await h.run();
    expect(h.provider.starts).toHaveLength(1);
    await h.run();
    h.provider.finish('db', 'succeeded');
    await h.run();
    // db released, its gate passed and api started in one run; the notice
    // of the gate was sent after api's start.
    expect(h.provider.starts.map(s => s.target.ref)).toEqual(['db', 'api']);
    expect(startsAtNotice).toEqual([
      ['Release plan "Shop 2.2" started', 1],
      [`Release plan "Shop 2.2": Wave 1 passed its gates; wave 2 goes next`, 2],
    ]);
    expect(h.notifications[1].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/team-a'],
    });
    expect((await h.plan(body.id)).currentWave).toBe(1);
  });

  it('rolls every completed wave back in reverse order when a wave fails (rollback-all)', async () => {
    const h = await start();
    stops.push(h.stop);
    const { body } = await h.create({
      title: 'Shop 2.1',
      members: THREE,
      failurePolicy: 'rollback-all',
    });
    await h.run();
    h.provider.finish('db', 'succeeded');
    await h.run();
    await h.run();
    // api's canary fails and its own analysis rolled it back.
    h.provider.finish('api', 'rolled_back', 'error rate 4% against 1%');
    await h.run();
    let plan = await h.plan(body.id);
    expect(plan.state).toBe('rolling_back');
    expect(plan.stateReason).toContain('error rate 4% against 1%');
    // api needed nothing; db, released in wave 1, is rolled back.
    await h.run();
    plan = await waitFor(
      async () => {
        await h.run();
        return h.plan(body.id);
      },
      p => p.state !== 'rolling_back',
    );
    expect(plan.state).toBe('rolled_back');
    expect(plan.waves.map((w: any) => w.state)).toEqual([
      'rolled_back',
      'rolled_back',
      'pending',
    ]);
    expect(h.provider.actions).toEqual([{ action: 'rollback', ref: 'db' }]);
    expect(h.provider.latest('db').version).toBe('1.0.0');
    expect(h.provider.starts.map(s => s.target.ref)).toEqual(['db', 'api']);
    expect(
      h.notifications.some(
        n =>
          n.payload.title === 'Release plan "Shop 2.1" is rolling back' &&
          n.payload.severity === 'high',
      ),
    ).toBe(true);
    // The rollback went through the common, audited action path.
    expect(
      h.auditEvents.some(
        e => e.eventId === 'release-action' && e.outcome === 'success',
      ),
    ).toBe(true);
  });

  it('halts without rolling anything back under the halt policy', async () => {
    const h = await start();
    stops.push(h.stop);
    const { body } = await h.create({
      title: 'Halt',
      members: THREE,
      failurePolicy: 'halt',
    });
    await h.run();
    h.provider.finish('db', 'failed', 'crash loop');
    await h.run();
    const plan = await h.plan(body.id);
    expect(plan.state).toBe('failed');
    expect(plan.stateReason).toContain('crash loop');
    expect(h.provider.actions).toEqual([]);
  });

  it('asks for a passed rollback test only where one can run', async () => {
    const auto = { 'glidepath.dev/rollback-test': 'auto' };
    const h = await start({
      extra: {
        // Production only: no test can run, the gate does not apply.
        db: { annotations: { ...rollout('db'), ...auto } },
        // A staging environment too: the gate waits for a passed test.
        api: {
          annotations: {
            'glidepath.dev/rollout':
              'staging=fake:api-staging; production=fake:api',
            ...auto,
          },
        },
      },
    });
    stops.push(h.stop);
    const { body } = await h.create({
      title: 'Tested',
      members: THREE.slice(1),
    });
    await h.run();
    h.provider.finish('db', 'succeeded');
    await h.run();
    await h.run();
    expect(h.provider.starts.map(s => s.target.ref)).toEqual(['db', 'api']);
    h.provider.finish('api', 'succeeded');
    await h.run();
    const plan = await h.plan(body.id);
    expect(plan.state).toBe('running');
    expect(plan.waves[1]).toMatchObject({ state: 'soaking' });
    expect(plan.waves[1].waitingFor).toContain(
      'no passed rollback test of 2.0.0',
    );
  });

  it('waits for the version to show up when the provider cannot start releases', async () => {
    const provider = new StartingProvider();
    provider.startRelease = undefined;
    const h = await start({ provider });
    stops.push(h.stop);
    const { body } = await h.create({ title: 'Manual', members: [THREE[2]] });
    expect(body.members[0].mode).toBe('manual');
    await h.run();
    await h.run();
    let plan = await h.plan(body.id);
    expect(plan.members[0].state).toBe('manual');
    expect(plan.members[0].stateReason).toContain('cannot start releases');
    provider.add('db', { version: '2.0.0' });
    await h.run();
    await h.run();
    plan = await h.plan(body.id);
    expect(plan.members[0].state).toBe('releasing');
  });

  it('holds the next wave during a freeze until someone allowed overrides it', async () => {
    const h = await start();
    stops.push(h.stop);
    const { body } = await h.create({
      title: 'Frozen',
      members: THREE.slice(1),
    });
    // The freeze covers api from now on.
    const window = await h
      .api()
      .post('/api/glidepath/calendar/windows')
      .set('Authorization', admin)
      .set('Idempotency-Key', 'w1')
      .send({
        title: 'Sale',
        effect: 'deny',
        scope: { kind: 'entity', ref: 'component:default/api' },
        timezone: 'UTC',
        start: new Date(Date.now() - 3_600_000).toISOString().slice(0, 16),
        end: new Date(Date.now() + 3_600_000).toISOString().slice(0, 16),
        reason: 'Black Friday',
      });
    expect(window.status).toBe(201);
    await h.run();
    await h.run();
    h.provider.finish('db', 'succeeded');
    await h.run();
    await h.run();
    let plan = await h.plan(body.id);
    expect(plan.waves[1]).toMatchObject({ state: 'waiting' });
    expect(plan.waves[1].waitingFor).toContain('Black Friday');
    expect(h.provider.starts.map(s => s.target.ref)).toEqual(['db']);

    const refused = await h
      .api()
      .post(`/api/glidepath/plans/${body.id}/freeze-override`)
      .set('Authorization', owner)
      .send({ reason: 'hotfix' });
    expect(refused.status).toBe(403);
    const overridden = await h
      .api()
      .post(`/api/glidepath/plans/${body.id}/freeze-override`)
      .set('Authorization', admin)
      .send({ reason: 'The fix for the sale page' });
    expect(overridden.status).toBe(200);
    expect(overridden.body.freezeOverride.reason).toBe(
      'The fix for the sale page',
    );
    await h.run();
    plan = await h.plan(body.id);
    expect(plan.waves[1].state).toBe('releasing');
    expect(h.provider.starts.map(s => s.target.ref)).toEqual(['db', 'api']);
  });

  it('pauses, resumes and aborts with a reason, for owners only', async () => {
    const h = await start();
    stops.push(h.stop);
    const { body } = await h.create({ title: 'Steer', members: THREE });
    const control = (who: string, what: string, reason?: string) =>
      h
        .api()
        .post(`/api/glidepath/plans/${body.id}/${what}`)
        .set('Authorization', who)
        .send(reason === undefined ? {} : { reason });
    expect((await control(owner, 'pause')).status).toBe(400);
    expect((await control(stranger, 'pause', 'no')).status).toBe(403);
    const paused = await control(owner, 'pause', 'waiting for QA');
    expect(paused.status).toBe(200);
    expect(paused.body.state).toBe('paused');
    await h.run();
    expect(h.provider.starts).toEqual([]);
    expect((await control(owner, 'pause', 'again')).status).toBe(409);
    expect((await control(owner, 'resume', 'QA done')).body.state).toBe(
      'scheduled',
    );
    await h.run();
    expect(h.provider.starts).toHaveLength(1);
    const aborted = await control(owner, 'abort', 'wrong versions');
    expect(aborted.body.state).toBe('aborted');
    expect(aborted.body.events.at(-1)).toMatchObject({
      kind: 'aborted',
      actor: expect.objectContaining({ ref: OWNER }),
    });
    expect(
      h.auditEvents
        .filter(e => e.eventId === 'release-plan')
        .map(e => (e.meta as any).change),
    ).toEqual(expect.arrayContaining(['create', 'pause', 'resume', 'abort']));
    expect((await h.create({ title: 'After', members: THREE })).status).toBe(
      201,
    );
  });

  it('refuses bad plans naming what is wrong, and writes nothing', async () => {
    const h = await start({ extra: { web: { requires: 'api@^2' } } });
    stops.push(h.stop);
    const post = (body: object, who = owner, key: string | null = 'same') => {
      const req = h
        .api()
        .post('/api/glidepath/plans')
        .set('Authorization', who);
      if (key) req.set('Idempotency-Key', key);
      return req.send(body);
    };
    const unknown = await post({
      title: 'x',
      members: [
        { entityRef: 'ghost', version: '1.0.0', environment: 'production' },
      ],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('component:default/ghost');
    expect(
      (await post({ title: 'x', members: THREE }, owner, null)).status,
    ).toBe(400);
    const twice = await post({ title: 'x', members: [THREE[0], THREE[0]] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toContain('members[1]');
    // The stranger may read web and api but not steer them; db is not
    // even there for them.
    expect(
      (await post({ title: 'x', members: THREE.slice(0, 2) }, stranger)).status,
    ).toBe(403);
    const unreadable = await post({ title: 'x', members: THREE }, stranger);
    expect(unreadable.status).toBe(404);
    expect(unreadable.body.error.message).toContain('component:default/db');
    const notSemver = await post({
      title: 'x',
      members: [{ ...THREE[1], version: 'banana' }],
    });
    expect(notSemver.status).toBe(400);
    expect(notSemver.body.error.message).toContain('banana');
    const breaks = await post({
      title: 'x',
      members: [{ ...THREE[1], version: '3.0.0' }],
    });
    expect(breaks.status).toBe(409);
    expect(breaks.body.error.message).toContain('web requires');
    const badTime = await post({ title: 'x', members: THREE, startAt: 'soon' });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error.message).toContain('startAt');
    const noTrain = await post({ title: 'x', members: THREE, trainId: 'nope' });
    expect(noTrain.status).toBe(404);
    expect(
      (
        await h
          .api()
          .get('/api/glidepath/plans?state=all')
          .set('Authorization', owner)
      ).body.items,
    ).toEqual([]);

    const overridden = await post({
      title: 'Major',
      members: [{ ...THREE[1], version: '3.0.0' }],
      overrideReason: 'web moves to 3 next week',
    });
    expect(overridden.status).toBe(201);
    expect(overridden.body.override.problems[0]).toContain('web requires');
    // The same key again: the same plan.
    const repeated = await post({
      title: 'Major',
      members: [{ ...THREE[1], version: '3.0.0' }],
      overrideReason: 'web moves to 3 next week',
    });
    expect(repeated.status).toBe(200);
    expect(repeated.body.id).toBe(overridden.body.id);
    const clash = await post(
      { title: 'Other', members: [{ ...THREE[1], version: '2.0.0' }] },
      owner,
      'other',
    );
    expect(clash.status).toBe(409);
    expect(clash.body.error.message).toContain(overridden.body.id);
    expect(clash.body.error.message).toContain('"Major"');
  });

  it('starts at the next slot of a train kept in config, by its id', async () => {
    const h = await start({
      glidepath: {
        calendar: {
          trains: [
            {
              title: 'Team A train',
              scope: { kind: 'owner', ref: 'group:default/team-a' },
              timezone: 'Europe/Berlin',
              start: '2026-01-06T10:00',
              rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
            },
          ],
        },
      },
    });
    stops.push(h.stop);
    const trains = await h
      .api()
      .get('/api/glidepath/calendar/trains')
      .set('Authorization', owner);
    expect(trains.body.items).toEqual([
      expect.objectContaining({
        id: 'config-train-1',
        definedIn: 'app-config',
      }),
    ]);
    const next = trains.body.items[0].nextSlots[0];
    const created = await h.create({
      title: 'On the train',
      members: THREE,
      trainId: 'config-train-1',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      trainId: 'config-train-1',
      startAt: next,
      state: 'scheduled',
    });
    // The slot is in the future: nothing starts before it.
    expect(Date.parse(next)).toBeGreaterThan(Date.now());
    await h.run();
    expect((await h.plan(created.body.id)).state).toBe('scheduled');
    expect(h.provider.starts).toEqual([]);
  });

  it('fails a member whose start the provider refuses, and rolls its wave back', async () => {
    const provider = new StartingProvider();
    provider.canStart = false;
    const h = await start({ provider });
    stops.push(h.stop);
    const { body } = await h.create({ title: 'Refused', members: [THREE[2]] });
    await h.run();
    const plan = await waitFor(
      async () => {
        await h.run();
        return h.plan(body.id);
      },
      p => p.state !== 'running' && p.state !== 'rolling_back',
    );
    expect(plan.members[0].stateReason).toContain('the cluster said no');
    expect(plan.state).toBe('rolled_back');
  });
});
