import type { SandboxFault } from './faults';
import {
  faultRateOf,
  previousScriptedSuccess,
  scriptedEnding,
  scriptedPhase,
  seededFault,
  type SeededService,
  type SeedOptions,
} from './scripted';
import { planRelease } from './steps';

const S = 1000;
const OPTIONS: SeedOptions = { seed: 'test-seed', faultRate: 0.2 };
const LATENCY: SandboxFault = { kind: 'latency', addedLatencyMs: 500 };

function service(overrides: Partial<SeededService> = {}): SeededService {
  return {
    name: 'checkout',
    offsetMs: 0,
    releaseIntervalMs: 240 * S,
    stepDurationMs: 30 * S,
    strategy: undefined,
    baseMajor: 1,
    ...overrides,
  };
}

describe('scriptedPhase', () => {
  it.each<[number, SandboxFault | null, string]>([
    [0, LATENCY, 'rolled_back'],
    [0.59, LATENCY, 'rolled_back'],
    [0.6, LATENCY, 'aborted'],
    [0.79, LATENCY, 'aborted'],
    [0.8, LATENCY, 'succeeded'],
    [0.99, LATENCY, 'succeeded'],
    [0, null, 'succeeded'],
    [0.939, null, 'succeeded'],
    [0.94, null, 'aborted'],
    [0.979, null, 'aborted'],
    [0.98, null, 'rolled_back'],
    [0.99, null, 'rolled_back'],
  ])('turns a draw of %p with fault %j into %s', (u, fault, phase) => {
    expect(scriptedPhase(() => u, fault)).toBe(phase);
  });
});

describe('faultRateOf', () => {
  it.each<[string, SeedOptions, Partial<SeededService>, number]>([
    ['the fleet rate', OPTIONS, {}, 0.2],
    [
      "the service's own rate",
      { ...OPTIONS, faultRateByService: { checkout: 1 } },
      {},
      1,
    ],
    [
      "another service's rate does not apply",
      { ...OPTIONS, faultRateByService: { search: 1 } },
      {},
      0.2,
    ],
    [
      'none for a pinned history',
      { ...OPTIONS, faultRate: 1, faultRateByService: { checkout: 1 } },
      { pinned: { versions: ['1.0.0', '1.1.0'], stride: 1, firstSlot: 0 } },
      0,
    ],
  ])('gives %s', (_name, options, overrides, rate) => {
    expect(faultRateOf(options, service(overrides))).toBe(rate);
  });
});

describe('scriptedEnding', () => {
  const plan = planRelease(undefined, '1.2.3', 30 * S);
  const start = 1_000_000;

  it('stops the releases the seed stops half-way through a step, and says why', () => {
    const faulty = { ...OPTIONS, faultRate: 1 };
    const endings = Array.from({ length: 200 }, (_, slot) => {
      const fault = seededFault(faulty, service(), slot);
      return {
        fault,
        ending: scriptedEnding(faulty, service(), { slot, plan, fault, start }),
      };
    });
    const stopped = endings.filter(e => e.ending !== null);
    expect(stopped.length).toBeGreaterThan(100);
    expect(stopped.length).toBeLessThan(200);
    const halfSteps = [2.5, 20, 37.5, 55, 72.5, 90].map(s => start + s * S);
    for (const { fault, ending } of stopped) {
      expect(halfSteps).toContain(ending!.at);
      expect(ending!.message).toBe(
        `${
          ending!.phase === 'aborted' ? 'Aborted' : 'Rolled back'
        } by Sandbox release train: ${
          fault!.kind === 'latency'
            ? 'latency above the baseline'
            : 'error rate above the baseline'
        } (simulated history)`,
      );
    }
  });

  it('says a healthy release was stopped by its owner', () => {
    const healthy = { ...OPTIONS, faultRate: 0 };
    const messages = Array.from(
      { length: 200 },
      (_, slot) =>
        scriptedEnding(healthy, service(), { slot, plan, fault: null, start })
          ?.message,
    ).filter(Boolean);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.length).toBeLessThan(40);
    for (const message of messages) {
      expect(message).toMatch(/: stopped by its owner \(simulated history\)$/);
    }
  });

  it('lets every release of a pinned history succeed', () => {
    const pinned = service({
      pinned: { versions: ['1.0.0', '1.1.0'], stride: 1, firstSlot: 0 },
    });
    for (let slot = 0; slot < 50; slot++) {
      expect(
        scriptedEnding(OPTIONS, pinned, { slot, plan, fault: LATENCY, start }),
      ).toBeNull();
    }
  });
});

describe('previousScriptedSuccess', () => {
  it.each([
    [4, 2],
    [3, 1],
    [2, 0],
    [1, -1],
    [0, -1],
  ])(
    'steps back one stride from slot %d of a pinned history, to %d',
    (before, slot) => {
      const pinned = service({
        pinned: {
          versions: ['1.0.0', '1.1.0', '1.2.0', '1.3.0'],
          stride: 2,
          firstSlot: 0,
        },
      });
      expect(previousScriptedSuccess(OPTIONS, pinned, before)).toBe(slot);
    },
  );

  it('finds the last slot before that the seed lets succeed', () => {
    const faulty = { ...OPTIONS, faultRate: 1 };
    const succeeded = (slot: number) => {
      const fault = seededFault(faulty, service(), slot);
      const plan = planRelease(undefined, '', 30 * S);
      return (
        scriptedEnding(faulty, service(), { slot, plan, fault, start: 0 }) ===
        null
      );
    };
    const lastSuccessBefore = (before: number) => {
      for (let slot = before - 1; slot >= 0; slot--) {
        if (succeeded(slot)) return slot;
      }
      return -1;
    };
    const befores = [1, 2, 10, 57, 300];
    const found = befores.map(before =>
      previousScriptedSuccess(faulty, service(), before),
    );
    expect(found).toEqual(befores.map(lastSuccessBefore));
    expect(found.filter(slot => slot >= 0).length).toBeGreaterThan(2);
  });

  it('has none before slot 0', () => {
    expect(previousScriptedSuccess(OPTIONS, service(), 0)).toBe(-1);
  });
});
