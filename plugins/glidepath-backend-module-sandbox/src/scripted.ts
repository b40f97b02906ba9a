import { releaseFault, type SandboxFault } from './faults';
import type { SandboxFleetOptions } from './fleet';
import { createRandom, type Random } from './random';
import { byWhom, SANDBOX_RELEASE_TRAIN, type ScriptedEnding } from './release';
import { stride, type TrainSchedule } from './slots';
import type { ReleasePlan } from './steps';

/*
 * What the seed decides about the releases that ended before the sandbox
 * first saw their service: their faults and how they ended. A restarted
 * backend reports the same history.
 */

/** The options the seed's decisions read. */
export type SeedOptions = Pick<
  SandboxFleetOptions,
  'seed' | 'faultRate' | 'faultRateByService'
>;

/** The service whose releases the seed decides. */
export type SeededService = TrainSchedule & { name: string };

/**
 * How a release that the seed gives `random` and `fault` ended: most
 * succeeded; faulty ones were mostly rolled back or aborted, and a few
 * healthy ones too.
 */
export function scriptedPhase(
  random: Random,
  fault: SandboxFault | null,
): 'succeeded' | 'aborted' | 'rolled_back' {
  const u = random();
  if (fault) {
    if (u < 0.6) return 'rolled_back';
    return u < 0.8 ? 'aborted' : 'succeeded';
  }
  if (u < 0.94) return 'succeeded';
  return u < 0.98 ? 'aborted' : 'rolled_back';
}

/** The share of the service's releases that carry a fault. */
export function faultRateOf(
  options: SeedOptions,
  service: SeededService,
): number {
  // A pinned history is all successes, so none of its releases is faulty.
  if (service.pinned) return 0;
  return (
    options.faultRateByService?.[service.name] ??
    (service.lineage
      ? options.faultRateByService?.[service.lineage]
      : undefined) ??
    options.faultRate
  );
}

/** The fault the seed gives the release of `slot`, if any. */
export function seededFault(
  options: SeedOptions,
  service: SeededService,
  slot: number,
): SandboxFault | null {
  return releaseFault({
    seed: options.seed,
    // A staging twin's versions are its production service's builds, with
    // the same faults.
    service: service.lineage ?? service.name,
    releaseNumber: slot,
    faultRate: faultRateOf(options, service),
  });
}

/**
 * How a release that finished before the sandbox first saw its service
 * ended: most succeeded; faulty ones were mostly rolled back or aborted
 * half-way through one of their steps, and a few healthy ones too. Null
 * when it succeeded.
 */
export function scriptedEnding(
  options: SeedOptions,
  service: SeededService,
  release: {
    slot: number;
    plan: ReleasePlan;
    fault: SandboxFault | null;
    start: number;
  },
): ScriptedEnding | null {
  // A pinned history is all successes: its versions must be the ones run.
  if (service.pinned) return null;
  const { slot, plan, fault, start } = release;
  const random = createRandom(
    options.seed,
    service.lineage ?? service.name,
    slot,
    'history',
  );
  const phase = scriptedPhase(random, fault);
  if (phase === 'succeeded') return null;
  const last = Math.max(0, plan.steps.length - 2);
  const stepIndex = Math.min(last, Math.floor(random() * (last + 1)));
  let stepStart = start;
  for (let i = 0; i < stepIndex; i++) stepStart += plan.steps[i].durationMs;
  let why = 'stopped by its owner';
  if (fault?.kind === 'error-rate') why = 'error rate above the baseline';
  else if (fault?.kind === 'latency') why = 'latency above the baseline';
  return {
    phase,
    at: stepStart + plan.steps[stepIndex].durationMs / 2,
    message: `${byWhom(
      phase === 'aborted' ? 'Aborted' : 'Rolled back',
      SANDBOX_RELEASE_TRAIN,
      why,
    )} (simulated history)`,
  };
}

/** The latest slot before `before` whose release the seed says succeeded. */
export function previousScriptedSuccess(
  options: SeedOptions,
  service: SeededService,
  before: number,
): number {
  const step = stride(service);
  if (service.pinned) {
    return before - step >= service.pinned.firstSlot ? before - step : -1;
  }
  const floor = Math.max(0, before - step * 1000);
  for (let slot = before - step; slot >= floor; slot -= step) {
    const fault = seededFault(options, service, slot);
    const random = createRandom(
      options.seed,
      service.lineage ?? service.name,
      slot,
      'history',
    );
    if (scriptedPhase(random, fault) === 'succeeded') return slot;
  }
  return -1;
}
