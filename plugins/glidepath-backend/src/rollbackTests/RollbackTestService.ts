import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EnvironmentDefinition,
  glidepathReleaseControlPermission,
  glidepathReleaseRollbackPermission,
  isRollbackTestFinished,
  isTerminalPhase,
  readGlidepathAnnotations,
  Release,
  ReleaseAction,
  RollbackGate,
  RollbackGateMode,
  RollbackGateOverrideRequest,
  RollbackTest,
  RollbackTestPolicy,
  RollbackTestRequest,
} from '@glidepath/backstage-plugin-common';
import { rollbackGateStatus } from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';
import type { ActionStore } from '../releases/ActionStore';
import type { ReleaseStore } from '../releases/ReleaseStore';
import type { ReleaseSync } from '../releases/ReleaseSync';
import type { ActionSubmitter } from '../releases/submitAction';
import { audited, requirePermission } from '../shared/authorize';
import type { Caller } from '../shared/caller';
import { errorMessage } from '../shared/errors';
import { withTimeout } from '../shared/timeout';
import type { RollbackTestsConfig } from './config';
import { LifecycleStep, nextStep } from './lifecycle';
import {
  policyKey,
  RollbackTestStore,
  StoredRollbackTest,
} from './RollbackTestStore';

/** The actor of the rollbacks and roll-forwards a test asks for. */
export const ROLLBACK_TEST_ACTOR = {
  kind: 'policy',
  ref: 'rollback-test',
  displayName: 'Rollback test',
} as const;

/** The actor of the pauses and resumes of the production gate. */
export const ROLLBACK_GATE_ACTOR = {
  kind: 'policy',
  ref: 'rollback-gate',
  displayName: 'Rollback gate',
} as const;

/** What the engine does about a production release's gate on one run. */
export type GateHold = {
  action: 'pause' | 'resume';
  reason: string;
  idempotencyKey: string;
};

/**
 * True while a release has not gone past its first traffic step: on its
 * first step, or on the pause that follows it (a first weight step
 * completes at once, so a canary is seen on the pause after it).
 */
export function atFirstStep(
  release: Pick<Release, 'steps' | 'currentStepIndex'>,
): boolean {
  const current = release.currentStepIndex ?? 0;
  const firstPause = release.steps.findIndex(step => step.kind === 'pause');
  return current <= Math.max(0, firstPause);
}

function rollForwardSupport(
  resolved: ReturnType<ReleaseSync['targetFor']>,
): { supported: true } | { supported: false; reason: string } {
  if ('error' in resolved) return { supported: false, reason: resolved.error };
  if (resolved.provider.rollForward) return { supported: true };
  return {
    supported: false,
    reason: `the rollout provider "${resolved.provider.id}" cannot roll a version forward again after rolling it back, so Glidepath does not roll it back`,
  };
}

function publicTest(test: StoredRollbackTest): RollbackTest {
  const {
    revision: _revision,
    rollbackActionId: _action,
    forwardRequestedAt: _forward,
    knownReleaseIds: _known,
    ...rest
  } = test;
  return rest;
}

/** True when the action is a pause the rollback gate asked for, in effect. */
export function pausedByGate(action: ReleaseAction | undefined): boolean {
  return (
    action?.action === 'pause' &&
    action.state === 'succeeded' &&
    action.requestedBy.kind === ROLLBACK_GATE_ACTOR.kind &&
    action.requestedBy.ref === ROLLBACK_GATE_ACTOR.ref
  );
}

/**
 * Rollback tests (issue 20): in a non-production environment, once a
 * release completes, roll it back through the provider, wait until the
 * previous version is healthy, roll it forward again, and record the
 * timings; and the production gate that may require a passed test before a
 * version goes to production. Each test is a durable state machine in the
 * database, advanced by a scheduled task (once across replicas) with
 * conditional writes; the rollback goes through the common action path
 * (audited, idempotent, leased), the roll-forward through the provider's
 * `rollForward`, which is idempotent.
 */
export class RollbackTestService {
  /** Releases the policy looked at and will not test (an entity's `off`). */
  private readonly passedOver = new Set<string>();

  constructor(
    private readonly deps: {
      store: RollbackTestStore;
      releases: ReleaseStore;
      actions: ActionStore;
      sync: ReleaseSync;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      auditor: AuditorService;
      submit: ActionSubmitter;
      environments: EnvironmentDefinition[];
      settings: RollbackTestsConfig;
      actionTimeoutMs: number;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  private isNonProduction(environment: string): boolean {
    return this.deps.environments.some(
      e => e.name === environment && !e.production,
    );
  }

  /** Whether the production gate looks at the release. */
  appliesTo(release: Release): boolean {
    return this.isProduction(release.environment);
  }

  private isProduction(environment: string): boolean {
    return this.deps.environments.some(
      e => e.name === environment && e.production,
    );
  }

  /** Whether the entity has a non-production environment to test in. */
  canTest(entity: Entity): boolean {
    const rollouts =
      readGlidepathAnnotations(entity, {
        environments: this.deps.environments,
      }).rollouts ?? [];
    return rollouts.some(r => this.isNonProduction(r.environment));
  }

  /** The entity's test policy: its annotation, else the config's. */
  policyOf(entity: Entity): RollbackTestPolicy {
    return (
      readGlidepathAnnotations(entity).rollbackTest ?? this.deps.settings.policy
    );
  }

  /** The entity's gate mode: its annotation, else the config's. */
  gateModeOf(entity: Entity): RollbackGateMode {
    return (
      readGlidepathAnnotations(entity).rollbackGate ?? this.deps.settings.gate
    );
  }

  private async serviceCredentials() {
    return this.deps.auth.getOwnServiceCredentials();
  }

  /** One run of the scheduled task: start the policy's tests, advance all. */
  async runOnce(): Promise<{ started: number; advanced: number }> {
    const started = await this.startPolicyTests();
    let advanced = 0;
    for (const test of await this.deps.store.listUnfinished()) {
      try {
        if (await this.advance(test)) advanced += 1;
      } catch (error) {
        this.deps.logger.error(
          `Glidepath rollback test ${test.id} of ${test.entityRef} (${
            test.version
          } in ${test.environment}) could not move on: ${errorMessage(error)}`,
        );
      }
    }
    return { started, advanced };
  }

  /**
   * Records a test for each non-production release that completed lately,
   * is what runs there, and whose entity's policy is `auto`; once per
   * entity, environment and version. Releases a test started itself (the
   * restored previous version, the version rolled forward) are not tested.
   */
  private async startPolicyTests(): Promise<number> {
    const now = this.now();
    const latest = (await this.deps.releases.listLatestReleases()).filter(
      r =>
        this.isNonProduction(r.environment) &&
        r.phase === 'succeeded' &&
        r.previousVersion !== null &&
        !this.passedOver.has(r.id) &&
        now.getTime() - r.startedAt.getTime() <=
          this.deps.settings.completedWithinMs,
    );
    if (!latest.length) return 0;
    const taken = await this.deps.store.policyKeysTaken(
      latest.map(r => policyKey(r.entityRef, r.environment, r.version)),
    );
    const fresh = latest.filter(
      r => !taken.has(policyKey(r.entityRef, r.environment, r.version)),
    );
    if (!fresh.length) return 0;
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      { entityRefs: fresh.map(r => r.entityRef) },
      { credentials: await this.serviceCredentials() },
    );
    let started = 0;
    for (const [i, candidate] of fresh.entries()) {
      const entity = items[i];
      if (!entity || this.policyOf(entity) !== 'auto') {
        this.passedOver.add(candidate.id);
        continue;
      }
      const recent = await this.deps.store.listTests({
        entityRef: candidate.entityRef,
        environment: candidate.environment,
        limit: 5,
      });
      if (recent.some(t => !isRollbackTestFinished(t.state))) continue;
      // The releases a test brought about: new since it began, of the
      // version it rolled back to or forward again.
      const ofATest = recent.some(
        t =>
          candidate.id !== t.releaseId &&
          !t.knownReleaseIds.includes(candidate.id) &&
          (candidate.version === t.version ||
            candidate.version === t.previousVersion),
      );
      if (ofATest) {
        this.passedOver.add(candidate.id);
        continue;
      }
      const release = await this.deps.releases.getRelease(candidate.id);
      if (!release) continue;
      const knownReleaseIds = await this.knownReleaseIds(
        release.entityRef,
        release.environment,
      );
      const { created } = await this.deps.store.createTest({
        entityRef: release.entityRef,
        environment: release.environment,
        version: release.version,
        previousVersion: release.previousVersion,
        releaseId: release.id,
        provider: release.provider,
        simulated: release.simulated,
        trigger: 'policy',
        requestedBy: ROLLBACK_TEST_ACTOR,
        reason: `${release.version} completed in ${release.environment}`,
        requestedAt: now,
        knownReleaseIds,
      });
      if (created) started += 1;
    }
    return started;
  }

  /** The environment's releases now, as a test begins. */
  private async knownReleaseIds(
    entityRef: string,
    environment: string,
  ): Promise<string[]> {
    const page = await this.deps.releases.listReleases({
      entityRef,
      environment,
      limit: 100,
    });
    return page.items.map(r => r.id);
  }

  /** Takes a test's next step; true when it wrote something. */
  private async advance(test: StoredRollbackTest): Promise<boolean> {
    const now = this.now();
    const entity = await this.deps.catalog.getEntityByRef(test.entityRef, {
      credentials: await this.serviceCredentials(),
    });
    if (!entity) {
      return this.write(test, {
        kind: 'finish',
        patch: {
          state: test.state === 'pending' ? 'not_run' : 'failed',
          stateReason: `the entity ${test.entityRef} is no longer in the catalog`,
          finishedAt: now,
        },
      });
    }
    const resolved = this.deps.sync.targetFor(entity, test.environment);
    const [tested, page, rollbackAction] = await Promise.all([
      this.deps.releases.getRelease(test.releaseId),
      this.deps.releases.listReleases({
        entityRef: test.entityRef,
        environment: test.environment,
        limit: 20,
      }),
      test.rollbackActionId
        ? this.deps.actions.getAction(test.rollbackActionId)
        : Promise.resolve(undefined),
    ]);
    const step = nextStep({
      test,
      now,
      tested,
      releases: page.items,
      rollbackAction,
      rollForward: rollForwardSupport(resolved),
      limits: this.deps.settings,
    });
    return this.write(test, step, {
      rollForward:
        'error' in resolved
          ? undefined
          : async () => {
              const forward = resolved.provider.rollForward!.bind(
                resolved.provider,
              );
              await withTimeout(
                `The rollout provider "${resolved.provider.id}"`,
                this.deps.actionTimeoutMs,
                signal =>
                  forward({
                    target: resolved.target,
                    providerReleaseId: tested?.providerRef ?? '',
                    version: test.version,
                    reason: `Rollback test of ${test.version} in ${test.environment}: rolling it forward again`,
                    actor: ROLLBACK_TEST_ACTOR,
                    signal,
                  }),
              );
            },
    });
  }

  private async write(
    test: StoredRollbackTest,
    step: LifecycleStep,
    effects: { rollForward?: () => Promise<void> } = {},
  ): Promise<boolean> {
    const { store } = this.deps;
    switch (step.kind) {
      case 'wait':
        if (step.stateReason === test.stateReason) return false;
        return store.updateTest(test.id, test.revision, {
          stateReason: step.stateReason,
        });
      case 'update':
        return store.updateTest(test.id, test.revision, step.patch);
      case 'finish': {
        const written = await store.updateTest(
          test.id,
          test.revision,
          step.patch,
        );
        if (written) {
          this.deps.logger.info(
            `Glidepath rollback test of ${test.entityRef} ${test.version} in ${
              test.environment
            }: ${step.patch.state}${
              step.patch.stateReason ? `: ${step.patch.stateReason}` : ''
            }`,
          );
        }
        return written;
      }
      case 'request_rollback': {
        let actionId: string;
        try {
          ({ actionId } = await this.deps.submit({
            releaseId: test.releaseId,
            action: 'rollback',
            reason: `Rollback test of ${test.version} in ${test.environment}: ${test.reason}`,
            idempotencyKey: `rollback-test:${test.id}:rollback`,
            actor: ROLLBACK_TEST_ACTOR,
          }));
        } catch (error) {
          return store.updateTest(test.id, test.revision, {
            state: 'not_run',
            stateReason: `Glidepath could not roll ${
              test.version
            } back: ${errorMessage(error)}`,
            finishedAt: this.now(),
          });
        }
        return store.updateTest(test.id, test.revision, {
          state: 'rolling_back',
          rollbackActionId: actionId,
          stateReason: step.stateReason,
        });
      }
      case 'roll_forward': {
        // Recorded first, so that a crash after the call asks again (the
        // provider does nothing twice) rather than never.
        if (!(await store.updateTest(test.id, test.revision, step.patch))) {
          return false;
        }
        try {
          if (!effects.rollForward) {
            throw new Error('the entity has no rollout target there any more');
          }
          await audited(
            this.deps.auditor,
            {
              eventId: 'rollback-test',
              severityLevel: 'medium',
              meta: {
                step: 'roll-forward',
                testId: test.id,
                entityRef: test.entityRef,
                environment: test.environment,
                version: test.version,
              },
            },
            async () => {
              await effects.rollForward!();
              return { result: undefined, meta: { testId: test.id } };
            },
          );
        } catch (error) {
          // Not a result yet: a newer release may have made the roll
          // forward moot, or the provider may take it when asked again
          // (the lifecycle asks again after a minute, and fails the test
          // once forwardWithin has passed, with this reason).
          await store.updateTest(test.id, test.revision + 1, {
            stateReason: `the provider refused to roll ${
              test.version
            } forward again: ${errorMessage(error)}`,
          });
        }
        return true;
      }
      default:
        return false;
    }
  }

  // --- The API -----------------------------------------------------------

  /** The entity's tests, newest first, if the caller may read the entity. */
  async listTests(options: {
    entityRef: string;
    environment?: string;
    limit: number;
    credentials: BackstageCredentials;
  }): Promise<RollbackTest[]> {
    const entity = await this.deps.catalog.getEntityByRef(options.entityRef, {
      credentials: options.credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${options.entityRef} in the catalog`);
    }
    const tests = await this.deps.store.listTests(options);
    return tests.map(publicTest);
  }

  /** The latest test of each environment of the entity. */
  async latestByEnvironment(
    entityRef: string,
  ): Promise<Map<string, RollbackTest>> {
    const tests = await this.deps.store.listTests({ entityRef, limit: 50 });
    const latest = new Map<string, RollbackTest>();
    for (const test of tests) {
      if (!latest.has(test.environment)) {
        latest.set(test.environment, publicTest(test));
      }
    }
    return latest;
  }

  /**
   * Runs a test now (the API, the scaffolder): of the completed release
   * that runs in the environment (the first non-production one by
   * default). Needs the rollback permission on the entity; audited.
   */
  async requestTest(options: {
    entityRef: string;
    request: RollbackTestRequest;
    idempotencyKey: string | undefined;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<{ test: RollbackTest; created: boolean }> {
    const { entityRef, request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'rollback-test',
        severityLevel: 'high',
        request: options.httpRequest,
        meta: {
          step: 'request',
          entityRef,
          environment: request?.environment ?? null,
          reason: request?.reason ?? null,
        },
      },
      async () => {
        if (!options.idempotencyKey) {
          throw new InputError(
            'The Idempotency-Key header is required: send a new unique value for each intended test, and the same value when retrying it',
          );
        }
        const reason = request?.reason?.trim();
        if (!reason) throw new InputError('The reason must not be blank');
        const { actor, credentials } = await options.caller();
        const entity = await this.deps.catalog.getEntityByRef(entityRef, {
          credentials,
        });
        if (!entity) {
          throw new NotFoundError(`No entity ${entityRef} in the catalog`);
        }
        await requirePermission(this.deps.permissions, {
          credentials,
          permission: glidepathReleaseRollbackPermission,
          entityRef,
          refusal: `You may not roll back ${entityRef}, so you may not test its rollback`,
        });
        const rollouts =
          readGlidepathAnnotations(entity, {
            environments: this.deps.environments,
          }).rollouts ?? [];
        const nonProduction = rollouts
          .map(r => r.environment)
          .filter(e => this.isNonProduction(e));
        if (!nonProduction.length) {
          throw new ConflictError(
            `${entityRef} has no non-production environment (its glidepath.dev/rollout names ${
              rollouts.map(r => r.environment).join(', ') || 'none'
            }); rollback tests run in one, never in production`,
          );
        }
        const environment = request.environment ?? nonProduction[0];
        if (!nonProduction.includes(environment)) {
          throw new (
            this.isProduction(environment) ? ConflictError : InputError
          )(
            `"${environment}" is not a non-production environment of ${entityRef} (it has ${nonProduction.join(
              ', ',
            )}); rollback tests never run in production`,
          );
        }
        const [current] = (
          await this.deps.releases.listReleases({
            entityRef,
            environment,
            limit: 1,
          })
        ).items;
        if (!current || current.phase !== 'succeeded') {
          throw new ConflictError(
            current
              ? `${current.version} is ${current.phase.replace(
                  '_',
                  ' ',
                )} in ${environment}: only a completed release's rollback can be tested`
              : `Nothing has been released to ${environment} yet`,
          );
        }
        if (current.previousVersion === null) {
          throw new ConflictError(
            `${current.version} is the first release in ${environment}: there is no previous version to roll back to`,
          );
        }
        const running = (
          await this.deps.store.listTests({ entityRef, environment, limit: 5 })
        ).find(t => !isRollbackTestFinished(t.state));
        const { test, created } = await this.deps.store.createTest({
          entityRef,
          environment,
          version: current.version,
          previousVersion: current.previousVersion,
          releaseId: current.id,
          provider: current.provider,
          simulated: current.simulated,
          trigger: 'manual',
          requestedBy: actor,
          reason,
          requestedAt: this.now(),
          idempotencyKey: options.idempotencyKey,
          knownReleaseIds: await this.knownReleaseIds(entityRef, environment),
        });
        if (created && running) {
          await this.deps.store.updateTest(test.id, test.revision, {
            state: 'not_run',
            stateReason: `the test of ${running.version} in ${environment} was still running`,
            finishedAt: this.now(),
          });
          throw new ConflictError(
            `A rollback test of ${
              running.version
            } in ${environment} is running (${running.state.replace(
              '_',
              ' ',
            )}); wait for its result`,
          );
        }
        return {
          result: { test: publicTest(test), created },
          meta: { testId: test.id, replay: !created },
        };
      },
    );
  }

  /**
   * The gate of a production release (null outside production, or with the
   * gate off for the entity).
   */
  async gateOf(release: Release, entity: Entity): Promise<RollbackGate | null> {
    if (!this.isProduction(release.environment)) return null;
    const mode = this.gateModeOf(entity);
    if (mode === 'off') return null;
    const [tests, override] = await Promise.all([
      this.deps.store.listTestsOfVersion({
        entityRef: release.entityRef,
        version: release.version,
      }),
      this.deps.store.getOverride(release.id),
    ]);
    const gate = rollbackGateStatus({
      releaseId: release.id,
      version: release.version,
      mode,
      tests: tests
        .filter(t => this.isNonProduction(t.environment))
        .map(publicTest),
      override,
    });
    // The gate holds a release at its first step; one already past it (it
    // started before the gate saw it, or went on by hand before the gate was
    // required) is not stopped half-way.
    const pastFirstStep =
      !atFirstStep(release) || isTerminalPhase(release.phase);
    if (gate.holds && pastFirstStep) {
      return {
        ...gate,
        holds: false,
        message: gate.message.replace(
          /\. Production waits at its first step.*$/,
          `. ${release.version} was past its first step, so the gate did not hold it`,
        ),
      };
    }
    return gate;
  }

  /**
   * The gate in the engine: a production release at its first step whose
   * version has no passed test is paused with the reason (required); once
   * one passed or someone overrode the gate, a release it paused is
   * resumed.
   */
  async gateHold(
    release: Release,
    entity: Entity,
    latestAction: ReleaseAction | undefined,
  ): Promise<GateHold | undefined> {
    if (release.phase !== 'progressing' && release.phase !== 'paused') {
      return undefined;
    }
    const gate = await this.gateOf(release, entity);
    if (!gate) return undefined;
    if (
      gate.holds &&
      release.phase === 'progressing' &&
      atFirstStep(release) &&
      release.steps.length > 1
    ) {
      return {
        action: 'pause',
        reason: gate.message,
        // Once per release: a person who resumes it anyway is refused while
        // the gate holds, and the gate does not pause it twice.
        idempotencyKey: `rollback-gate-pause:${release.id}`,
      };
    }
    if (
      !gate.holds &&
      release.phase === 'paused' &&
      pausedByGate(latestAction)
    ) {
      return {
        action: 'resume',
        reason: `${gate.message}: resumed ${release.version}, which waited for it at its first step`,
        idempotencyKey: `rollback-gate-resume:${release.id}`,
      };
    }
    return undefined;
  }

  /**
   * Why the gate refuses a promote or resume of a release, or undefined: a
   * production release whose gate holds cannot move on, except through the
   * gate's own resume.
   */
  async refusal(
    release: Release,
    entity: Entity,
    action: string,
  ): Promise<string | undefined> {
    if (action !== 'promote' && action !== 'resume') return undefined;
    const gate = await this.gateOf(release, entity);
    return gate?.holds ? gate.message : undefined;
  }

  /** Lets a production release go on without a passed test. */
  async overrideGate(options: {
    releaseId: string;
    request: RollbackGateOverrideRequest;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<RollbackGate> {
    const { releaseId, request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'rollback-gate-override',
        severityLevel: 'high',
        request: options.httpRequest,
        meta: { releaseId, reason: request?.reason ?? null },
      },
      async () => {
        const reason = request?.reason?.trim();
        if (!reason) {
          throw new InputError(
            'A reason is required to override the rollback gate: say why this version may go to production without a passed rollback test',
          );
        }
        const { actor, credentials } = await options.caller();
        const release = await this.deps.releases.getRelease(releaseId);
        if (!release) throw new NotFoundError(`No release ${releaseId}`);
        const entity = await this.deps.catalog.getEntityByRef(
          release.entityRef,
          { credentials },
        );
        if (!entity) throw new NotFoundError(`No release ${releaseId}`);
        await requirePermission(this.deps.permissions, {
          credentials,
          permission: glidepathReleaseControlPermission,
          entityRef: release.entityRef,
          refusal: `You may not steer the releases of ${release.entityRef}, so you may not override their rollback gate`,
        });
        const gate = await this.gateOf(release, entity);
        if (!gate) {
          throw new ConflictError(
            this.isProduction(release.environment)
              ? `The rollback gate is off for ${release.entityRef}: nothing to override`
              : `${release.version} goes to ${release.environment}, not production: the rollback gate applies to production releases only`,
          );
        }
        await this.deps.store.setOverride({
          releaseId,
          entityRef: release.entityRef,
          by: actor,
          reason,
          at: this.now(),
        });
        const overridden = (await this.gateOf(release, entity))!;
        return {
          result: overridden,
          meta: { entityRef: release.entityRef, status: overridden.status },
        };
      },
    );
  }
}
