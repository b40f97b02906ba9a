import { createRandom } from './random';

/**
 * A problem injected into a sandbox release. Only the new version (the
 * canary) suffers from it; the stable version stays healthy.
 * @public
 */
export type SandboxFault =
  | {
      kind: 'error-rate';
      /** The share of the canary's requests that fail, 0.03 to 0.08. */
      errorRate: number;
    }
  | {
      kind: 'latency';
      /** Added to every canary request, 300 to 800 ms. */
      addedLatencyMs: number;
    }
  | {
      /**
       * The new version's pods crash on start (Kubernetes'
       * CrashLoopBackOff): every request sent to the canary fails, and so
       * does every health check. A restore whose old version no longer
       * starts carries it (see `rollbackFailureShare`).
       */
      kind: 'crash-loop';
      /** Why, e.g. "2.3.1 no longer starts after 2.4.0's schema migration". */
      reason: string;
    };

/**
 * Whether release `releaseNumber` of `service` carries a fault, and which.
 * Each release draws from its own stream, so a release keeps its fault
 * whatever happens to the others; raising `faultRate` only adds faults.
 * @public
 */
export function releaseFault(options: {
  seed: string;
  service: string;
  releaseNumber: number;
  faultRate: number;
}): SandboxFault | null {
  const random = createRandom(
    options.seed,
    options.service,
    options.releaseNumber,
    'fault',
  );
  if (random() >= options.faultRate) {
    return null;
  }
  if (random() < 0.5) {
    return {
      kind: 'error-rate',
      errorRate: Math.round((0.03 + random() * 0.05) * 10000) / 10000,
    };
  }
  return { kind: 'latency', addedLatencyMs: Math.round(300 + random() * 500) };
}

/** "canary error rate 5.2%", "canary latency +420 ms". */
export function describeFault(fault: SandboxFault): string {
  switch (fault.kind) {
    case 'error-rate':
      return `canary error rate ${(fault.errorRate * 100).toFixed(1)}%`;
    case 'latency':
      return `canary latency +${fault.addedLatencyMs} ms`;
    default:
      return `canary pods crash on start: ${fault.reason}`;
  }
}
