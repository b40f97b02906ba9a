import type {
  ActionType,
  ReleasePhase,
} from '@glidepath/backstage-plugin-common';
import type {
  ObservedRelease,
  ObservedRollout,
  RolloutActionRequest,
  RolloutProvider,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';

/**
 * A rollout provider for tests: one canary release per target, actions that
 * change its phase the way Argo Rollouts would, and switches to make it fail
 * or hang.
 */
export class FakeRolloutProvider implements RolloutProvider {
  readonly id: string;
  readonly simulated = false;
  readonly releases = new Map<string, ObservedRelease>();
  readonly actionCalls: Array<{
    action: ActionType;
    providerReleaseId: string;
    at: number;
  }> = [];
  listFailure: Error | undefined;
  /** What the provider reports wrong with a target instead of its releases, by ref. */
  readonly targetProblems = new Map<string, string>();
  actionFailure: Error | undefined;
  hangActions = false;
  #heldList: { answer: Promise<void>; onRead: () => void } | undefined;

  /**
   * Makes the next listRollouts read the releases but answer only when
   * `answer` is called: a slow sync whose reading goes stale. `read`
   * resolves once it has read.
   */
  holdNextList(): { read: Promise<void>; answer: () => void } {
    let answer!: () => void;
    let onRead!: () => void;
    const read = new Promise<void>(resolve => {
      onRead = resolve;
    });
    this.#heldList = {
      answer: new Promise(resolve => {
        answer = resolve;
      }),
      onRead,
    };
    return { read, answer };
  }

  constructor(id = 'fake') {
    this.id = id;
  }

  /** Puts a release in place for a target ref. */
  setRelease(
    ref: string,
    patch: Partial<ObservedRelease> = {},
  ): ObservedRelease {
    const start = new Date('2026-11-27T10:00:00.000Z');
    const release: ObservedRelease = {
      providerReleaseId: `${ref}@2`,
      version: '2.0.0',
      previousVersion: '1.0.0',
      environment: 'production',
      strategy: 'canary',
      phase: 'progressing',
      steps: [
        {
          kind: 'set_weight',
          weight: 20,
          description: 'Send 20% of traffic to 2.0.0',
          status: 'completed',
        },
        {
          kind: 'pause',
          durationSeconds: 60,
          description: 'Wait 60s',
          status: 'running',
        },
        {
          kind: 'set_weight',
          weight: 100,
          description: 'Send all traffic to 2.0.0',
          status: 'pending',
        },
      ],
      currentStepIndex: 1,
      canaryWeight: 20,
      message: null,
      startedBy: { kind: 'provider', ref: this.id },
      commit: 'a'.repeat(40),
      startedAt: start,
      updatedAt: start,
      finishedAt: null,
      ...patch,
    };
    this.releases.set(ref, release);
    return release;
  }

  async listRollouts(targets: RolloutTarget[]): Promise<ObservedRollout[]> {
    if (this.listFailure) throw this.listFailure;
    const answer = targets.map((target): ObservedRollout => {
      const problem = this.targetProblems.get(target.ref);
      if (problem) return { entityRef: target.entityRef, error: problem };
      const release = this.releases.get(target.ref);
      return {
        entityRef: target.entityRef,
        releases: release ? [{ ...release, steps: [...release.steps] }] : [],
      };
    });
    const held = this.#heldList;
    this.#heldList = undefined;
    if (held) {
      held.onRead();
      await held.answer;
    }
    return answer;
  }

  async performAction(request: RolloutActionRequest) {
    this.actionCalls.push({
      action: request.action,
      providerReleaseId: request.providerReleaseId,
      at: Date.now(),
    });
    if (this.hangActions) {
      await new Promise((_, reject) =>
        request.signal.addEventListener('abort', () =>
          reject(request.signal.reason),
        ),
      );
    }
    if (this.actionFailure) throw this.actionFailure;
    const release = this.releases.get(request.target.ref);
    if (!release || release.providerReleaseId !== request.providerReleaseId) {
      throw new Error(`no release ${request.providerReleaseId}`);
    }
    const next: Partial<Record<ActionType, ReleasePhase>> = {
      rollback: 'rolled_back',
      abort: 'aborted',
      pause: 'paused',
      resume: 'progressing',
      retry: 'progressing',
    };
    const phase = next[request.action];
    if (phase) {
      release.phase = phase;
      if (phase === 'rolled_back' || phase === 'aborted') {
        release.canaryWeight = 0;
        release.finishedAt = new Date();
      }
    } else if (request.action === 'promote') {
      // As Argo Rollouts: the paused step completes and the rollout goes on.
      const index = release.currentStepIndex ?? 0;
      release.steps = release.steps.map((step, i) => {
        if (i === index) return { ...step, status: 'completed' };
        if (i === index + 1) return { ...step, status: 'running' };
        return step;
      });
      release.currentStepIndex = index + 1;
      release.canaryWeight = 100;
      release.phase = 'progressing';
    }
    release.message = `${request.action} by ${request.actor.ref}: ${request.reason}`;
    release.updatedAt = new Date();
    return { message: `${request.action} done` };
  }
}
