/**
 * The Glidepath sandbox: a simulated fleet that stands in for a real rollout
 * provider, so that Glidepath works out of the box and demos have releases,
 * faults and traffic to show. Nothing it reports is real.
 *
 * @packageDocumentation
 */
export { glidepathModuleSandbox as default } from './module';
export {
  SandboxRolloutProvider,
  type SandboxRolloutProviderOptions,
} from './SandboxRolloutProvider';
export {
  SandboxFlagProvider,
  type SandboxFlagProviderOptions,
} from './SandboxFlagProvider';
export {
  SANDBOX_FLAG_ENVIRONMENTS,
  sandboxFlags,
  type SandboxFlag,
  type SandboxFlagPattern,
} from './flags';
export {
  SandboxMetricsProvider,
  type SandboxMetricsProviderOptions,
} from './SandboxMetricsProvider';
export {
  SandboxFleet,
  SANDBOX_EPOCH,
  SANDBOX_RELEASE_TRAIN,
  sandboxNameProblem,
  type CanaryWeightChange,
  type SandboxAction,
  type SandboxFleetEvent,
  type SandboxFleetOptions,
  type SandboxReleaseSimulation,
  type SandboxRollForward,
  type SandboxService,
  type SandboxStart,
  type NextRelease,
} from './fleet';
export { releaseFault, type SandboxFault } from './faults';
export {
  LATENCY_BUCKETS_SECONDS,
  simulateTraffic,
  type LatencyBucket,
  type SimulateTrafficOptions,
  type TrafficSample,
  type TrafficWindow,
} from './traffic';
export {
  readSandboxConfig,
  SANDBOX_DEFAULTS,
  type SandboxConfig,
} from './config';
