import { releaseFault } from './faults';
import { SandboxFleet, sandboxNameProblem } from './fleet';
import { latestOf, nextRelease, OPTIONS, S, T0 } from './__testUtils__/fleet';

describe('SandboxFleet', () => {
  describe('simulation', () => {
    it('keeps the weight history and the fault of a release', () => {
      const { fleet, act, start, id } = nextRelease();
      act(40 * S, 'abort');
      const simulation = fleet.simulation(id, new Date(start + 50 * S));
      expect(simulation.weights).toEqual([
        { at: new Date(start), weight: 10 },
        { at: new Date(start + 35 * S), weight: 25 },
        { at: new Date(start + 40 * S), weight: 0 },
      ]);
      expect(simulation.service).toBe('checkout');
      expect(simulation).toHaveProperty('fault');
    });

    it('does not know services it has not seen', () => {
      const fleet = new SandboxFleet(OPTIONS);
      expect(() => fleet.simulation('nobody@1.0.0', new Date(T0))).toThrow(
        /no release "nobody@1.0.0"/,
      );
    });
  });

  describe('faults', () => {
    it('lets one service have its own fault rate', () => {
      const fleet = new SandboxFleet({
        ...OPTIONS,
        faultRate: 0,
        faultRateByService: { search: 1 },
      });
      const at = new Date(T0);
      const faulty = (name: string) =>
        fleet
          .observe({ name }, at)
          .map(r => fleet.simulation(r.providerReleaseId, at).fault);
      expect(faulty('search').every(f => f !== null)).toBe(true);
      expect(faulty('checkout').every(f => f === null)).toBe(true);
    });

    const faults = (faultRate: number) =>
      Array.from({ length: 4000 }, (_, n) =>
        releaseFault({
          seed: 'test-seed',
          service: 'checkout',
          releaseNumber: n,
          faultRate,
        }),
      );

    it.each([0, 0.05, 0.2, 0.5, 1])(
      'injects faults into about %p of the releases',
      rate => {
        const share = faults(rate).filter(Boolean).length / 4000;
        expect(share).toBeGreaterThanOrEqual(Math.max(0, rate - 0.03));
        expect(share).toBeLessThanOrEqual(Math.min(1, rate + 0.03));
      },
    );

    it('injects both kinds, within their ranges', () => {
      const all = faults(1);
      const errorRates = all.flatMap(f =>
        f?.kind === 'error-rate' ? [f.errorRate] : [],
      );
      const added = all.flatMap(f =>
        f?.kind === 'latency' ? [f.addedLatencyMs] : [],
      );
      expect(errorRates.length / all.length).toBeGreaterThan(0.4);
      expect(added.length / all.length).toBeGreaterThan(0.4);
      expect(Math.min(...errorRates)).toBeGreaterThanOrEqual(0.03);
      expect(Math.max(...errorRates)).toBeLessThanOrEqual(0.08);
      expect(Math.min(...added)).toBeGreaterThanOrEqual(300);
      expect(Math.max(...added)).toBeLessThanOrEqual(800);
    });

    it('keeps a release fault when the rate rises', () => {
      const low = faults(0.1);
      const high = faults(0.3);
      const kept = low.map((fault, n) => (fault ? high[n] : null));
      expect(kept).toEqual(low);
    });
  });

  it.each(['checkout-service', '0-legacy', 'a'])(
    'accepts the name %p',
    name => {
      expect(sandboxNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    'Checkout',
    'checkout_service',
    '-checkout',
    'cluster/ns/name',
    'x'.repeat(64),
  ])('refuses the name %p', name => {
    expect(sandboxNameProblem(name)).toMatch(/is not a sandbox service name/);
  });
});

describe('a rollback drill', () => {
  const healthy = { ...OPTIONS, faultRate: 0 };

  it('puts the fault into the next release only, and says when it starts', () => {
    const service = { name: 'checkout' };
    const fleet = new SandboxFleet(healthy);
    const now = new Date(T0);
    const before = latestOf(fleet.observe(service, now));
    const upcoming = fleet.injectFault(
      service,
      { kind: 'latency', addedLatencyMs: 500 },
      now,
    );
    const startsAt = upcoming.startsAt!;
    const version = upcoming.version!;
    expect(startsAt.getTime()).toBeGreaterThan(now.getTime());
    expect(startsAt.getTime()).toBeLessThanOrEqual(
      now.getTime() + OPTIONS.releaseIntervalMs,
    );
    // The release in progress keeps its (absent) fault.
    expect(fleet.simulation(before.providerReleaseId, now).fault).toBeNull();

    const drilled = latestOf(
      fleet.observe(service, new Date(startsAt.getTime() + S)),
    );
    expect(drilled.version).toBe(version);
    expect(drilled.startedAt).toEqual(startsAt);
    expect(
      fleet.simulation(
        drilled.providerReleaseId,
        new Date(startsAt.getTime() + S),
      ).fault,
    ).toEqual({ kind: 'latency', addedLatencyMs: 500 });

    // The one after it is healthy again.
    const after = new Date(startsAt.getTime() + 3 * OPTIONS.releaseIntervalMs);
    const next = latestOf(fleet.observe(service, after));
    expect(next.version).not.toBe(version);
    expect(fleet.simulation(next.providerReleaseId, after).fault).toBeNull();
  });

  it('keeps the fault of a service that replays a pinned history for its next release started on request', () => {
    const fleet = new SandboxFleet({
      ...healthy,
      pinnedReleases: { promotions: ['1.4.2', '1.5.0'] },
    });
    const service = { name: 'promotions' };
    expect(
      fleet.injectFault(
        service,
        { kind: 'error-rate', errorRate: 0.05 },
        new Date(T0),
      ),
    ).toEqual({
      startsAt: null,
      version: null,
      why: 'its train replays a pinned history (glidepath.sandbox.pinnedReleases)',
    });
    const at = new Date(T0 + 60 * S);
    fleet.start(
      service,
      {
        version: '1.6.0',
        idempotencyKey: 'k',
        reason: 'plan',
        actor: { kind: 'user', ref: 'user:default/ada' },
      },
      at,
    );
    expect(
      fleet.simulation('promotions@1.6.0+start.1', new Date(T0 + 70 * S)).fault,
    ).toEqual({ kind: 'error-rate', errorRate: 0.05 });
  });
});
