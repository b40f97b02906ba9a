import type { SandboxFault } from './faults';
import type { SandboxFleetOptions } from './fleet';
import { createRandom } from './random';
import type { SeededService } from './scripted';
import { restartDurationMs } from './steps';

/*
 * What the seed decides about the releases that run an earlier version again
 * (a restore after a rollback, a roll forward after a rollback test): how
 * long the version takes to start, and whether an old version still starts
 * at all. Drawn per service and version, so a staging twin (which shares its
 * production service's builds) predicts production, and a restarted backend
 * or another replica draws the same.
 */

/** The options these decisions read. */
export type RestoreOptions = Pick<
  SandboxFleetOptions,
  | 'seed'
  | 'stepDurationMs'
  | 'rollbackFailureShare'
  | 'rollbackFailureShareByService'
>;

/** How long `version` of the service takes to start again. */
export function restartTimeOf(
  options: RestoreOptions,
  service: SeededService,
  version: string,
): number {
  const random = createRandom(
    options.seed,
    service.lineage ?? service.name,
    version,
    'restart',
  );
  return restartDurationMs(options.stepDurationMs, random());
}

/**
 * The share of the service's versions whose rollback fails: the service's
 * own (`rollbackFailureShareByService`, by its name or, for a staging twin,
 * its production service's), else `rollbackFailureShare`, 0 unless given. A
 * pinned history takes only its own: a demo's rollback restores reliably
 * unless asked otherwise.
 */
export function rollbackFailureShareOf(
  options: RestoreOptions,
  service: SeededService,
): number {
  const byService = options.rollbackFailureShareByService;
  const own =
    byService?.[service.name] ??
    (service.lineage ? byService?.[service.lineage] : undefined);
  if (own !== undefined) return own;
  return service.pinned ? 0 : options.rollbackFailureShare ?? 0;
}

const REASONS: Array<(restored: string, rolledBack: string) => string> = [
  (restored, rolledBack) =>
    `${restored} no longer starts after ${rolledBack}'s schema migration`,
  (restored, rolledBack) =>
    `${restored} no longer starts: it cannot read the data ${rolledBack} migrated`,
  (restored, rolledBack) =>
    `${restored} no longer starts: it cannot parse the configuration ${rolledBack} rewrote`,
];

/**
 * Whether rolling `rolledBack` back to `restored` fails because `restored`
 * no longer starts, and why: a crash-loop fault for the restore, or null.
 * Decided by the rolled-back version (its one-way migration), so the same
 * versions give the same outcome every time; raising the share only adds
 * failures.
 */
export function restoreFailure(
  options: RestoreOptions,
  service: SeededService,
  rolledBack: string,
  restored: string,
): SandboxFault | null {
  const random = createRandom(
    options.seed,
    service.lineage ?? service.name,
    rolledBack,
    'rollback-fails',
  );
  if (random() >= rollbackFailureShareOf(options, service)) return null;
  const reason = REASONS[Math.floor(random() * REASONS.length)];
  return { kind: 'crash-loop', reason: reason(restored, rolledBack) };
}
