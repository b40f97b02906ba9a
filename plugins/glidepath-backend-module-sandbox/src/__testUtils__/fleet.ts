import type { ActionType, Actor } from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import {
  SandboxFleet,
  type SandboxFleetOptions,
  type SandboxService,
} from '../fleet';

/* What the tests of the sandbox fleet share: options, clock and actor. */

export const OPTIONS: SandboxFleetOptions = {
  seed: 'test-seed',
  releaseIntervalMs: 4 * 60_000,
  stepDurationMs: 30_000,
  faultRate: 0.2,
  environment: 'production',
  historySize: 10,
};
export const T0 = Date.parse('2026-03-02T10:00:00Z');
export const S = 1000;
export const ADA: Actor = {
  kind: 'user',
  ref: 'user:default/ada',
  displayName: 'Ada Lovelace',
};

export function latestOf(releases: ObservedRelease[]): ObservedRelease {
  return releases[releases.length - 1];
}

/**
 * A fleet that has seen `service` at T0, and the start of its next release:
 * the tests drive the clock from there.
 */
export function nextRelease(
  service: SandboxService = { name: 'checkout' },
  options: SandboxFleetOptions = OPTIONS,
) {
  const fleet = new SandboxFleet(options);
  const seen = new SandboxFleet({ ...options, awaitPromotion: false }).observe(
    service,
    new Date(T0),
  );
  const start = latestOf(seen).startedAt.getTime() + options.releaseIntervalMs;
  // A release in progress at first sight would wait for a promote and hold
  // the next slot: with awaitPromotion, first see the service once it ended.
  fleet.observe(service, new Date(options.awaitPromotion ? start - 1 : T0));
  const releasesAt = (offsetMs: number) =>
    fleet.observe(service, new Date(start + offsetMs));
  const latestAt = (offsetMs: number) => latestOf(releasesAt(offsetMs));
  const id = latestAt(0).providerReleaseId;
  const act = (
    offsetMs: number,
    action: ActionType,
    reason = 'testing',
    providerReleaseId = id,
  ) =>
    fleet.act(
      service,
      { providerReleaseId, action, reason, actor: ADA },
      new Date(start + offsetMs),
    );
  const find = (offsetMs: number, providerReleaseId = id) => {
    const release = releasesAt(offsetMs).find(
      r => r.providerReleaseId === providerReleaseId,
    );
    if (!release) throw new Error(`${providerReleaseId} is not reported`);
    return release;
  };
  return { fleet, start, id, releasesAt, latestAt, act, find };
}
