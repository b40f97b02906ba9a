/*
 * A release plan's state machine: what the executor does next, given the
 * stored plan and what it observed. Pure: no I/O. The executor writes what
 * it returns conditionally (on the plan's revision), makes the provider
 * calls it names with their keys, and asks again until it says to wait.
 */
import type {
  Release,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import type {
  NewPlanEvent,
  PlanMemberPatch,
  PlanWrite,
  StoredPlan,
  StoredPlanMember,
} from './PlanStore';

/** What the executor saw of one member. */
export type MemberObservation = {
  /** The member's release, when it has one. */
  release?: Release;
  /** The environment's latest releases, newest first. */
  recent: Release[];
  /** The member's rollback action, once asked for. */
  rollbackAction?: ReleaseAction;
  /** Whether its provider can start releases (else: manual). */
  canStart: boolean;
  /** Why the member cannot be released at all (no target there). */
  targetProblem?: string;
  /** Why the entity's environment is frozen now, or undefined. */
  frozen?: string;
  /** The first gate the member's release does not meet yet, or undefined. */
  gateProblem?: string;
  /** What the timeline should say about a gate that let it through (see `analysisGate`). */
  gateNote?: string;
};

/** What the executor saw. */
export type PlanObservations = {
  now: Date;
  /** By member idx: the members of the wave at hand. */
  members: Map<number, MemberObservation>;
  /** What the dependency check says against the waves not started (unless overridden). */
  graphProblem?: string;
  /** How long a started release may take to show up. */
  startTimeoutMs: number;
};

/** Who the owners are told about, and what. */
export type PlanNotice = {
  title: string;
  description: string;
  severity: 'normal' | 'high';
};

/** The executor's next move. */
export type PlanDecision = {
  write?: PlanWrite;
  /** Members whose release to start after the write (their keys are in it). */
  starts: number[];
  /** Members to roll back before the write (idempotent by key). */
  rollbacks: Array<{ idx: number; releaseId: string; key: string }>;
  notice?: PlanNotice;
};

const WAIT: PlanDecision = { starts: [], rollbacks: [] };

/** The key of the provider call that starts a member's release. */
export function startKeyOf(planId: string, idx: number): string {
  return `plan:${planId}:member:${idx}:start`;
}

/** The idempotency key of the action that rolls a member back. */
export function rollbackKeyOf(planId: string, idx: number): string {
  return `plan:${planId}:member:${idx}:rollback`;
}

const FAILED_PHASES = new Set(['failed', 'rolled_back', 'aborted']);

function membersOf(plan: StoredPlan, wave: number): StoredPlanMember[] {
  return plan.members.filter(m => m.wave === wave);
}

function name(member: StoredPlanMember): string {
  return `${member.entityRef} ${member.version} in ${member.environment}`;
}

/** A release of the member's version the plan did not find there before. */
function newReleaseOf(
  member: StoredPlanMember,
  recent: readonly Release[],
): Release | undefined {
  const known = new Set(member.knownReleaseIds ?? []);
  return recent.find(r => r.version === member.version && !known.has(r.id));
}

/** One member's move while its wave is releasing or soaking. */
function memberMove(
  plan: StoredPlan,
  member: StoredPlanMember,
  seen: MemberObservation,
  now: Date,
  startTimeoutMs: number,
): { patch?: PlanMemberPatch; start?: boolean; event?: NewPlanEvent } {
  const event = (kind: string, message: string): NewPlanEvent => ({
    kind,
    message,
    wave: member.wave,
    entityRef: member.entityRef,
  });
  switch (member.state) {
    case 'pending': {
      if (seen.targetProblem) {
        const reason = `${name(member)} cannot be released: ${
          seen.targetProblem
        }`;
        return {
          patch: { state: 'failed', stateReason: reason },
          event: event('member_failed', reason),
        };
      }
      const latest = seen.recent[0];
      if (latest && latest.version === member.version) {
        if (latest.phase === 'succeeded') {
          const reason = `${member.version} already runs there`;
          return {
            patch: {
              state: 'released',
              stateReason: reason,
              releaseId: latest.id,
              startedAt: new Date(latest.startedAt),
              completedAt: new Date(latest.finishedAt ?? latest.updatedAt),
            },
            event: event('member_released', `${name(member)}: ${reason}`),
          };
        }
        if (!FAILED_PHASES.has(latest.phase)) {
          return {
            patch: {
              state: 'releasing',
              stateReason: `${member.version} was already on its way there`,
              releaseId: latest.id,
              knownReleaseIds: [],
              startedAt: new Date(latest.startedAt),
            },
            event: event(
              'member_started',
              `${name(member)} was already on its way`,
            ),
          };
        }
      }
      const knownReleaseIds = seen.recent.map(r => r.id);
      if (!seen.canStart) {
        const reason = `waiting for ${member.version} to show up in ${
          member.environment
        }: ${
          member.provider ? `the provider "${member.provider}"` : 'its provider'
        } cannot start releases, so someone starts it`;
        return {
          patch: {
            state: 'manual',
            mode: 'manual',
            stateReason: reason,
            knownReleaseIds,
          },
          event: event('member_manual', `${name(member)}: ${reason}`),
        };
      }
      return {
        patch: {
          state: 'starting',
          stateReason: `asked ${member.provider ?? 'the provider'} to start it`,
          knownReleaseIds,
          startKey: startKeyOf(plan.id, member.idx),
        },
        start: true,
        event: event('member_starting', `Starting ${name(member)}`),
      };
    }
    case 'starting':
    case 'manual': {
      const release = newReleaseOf(member, seen.recent);
      if (release) {
        return {
          patch: {
            state: 'releasing',
            stateReason: null,
            releaseId: release.id,
            startedAt: new Date(release.startedAt),
          },
          event: event('member_started', `${name(member)} started`),
        };
      }
      if (member.state === 'manual') return {};
      if (!member.startCalledAt) {
        // Written before the call, which did not happen or was not recorded
        // (a crash): asked again with the same key; the provider does it once.
        return { start: true };
      }
      const waited = now.getTime() - Date.parse(member.startCalledAt);
      if (waited > startTimeoutMs) {
        const reason = `${
          member.provider ?? 'the provider'
        } accepted the start of ${
          member.version
        } but no release of it showed up within ${Math.round(
          startTimeoutMs / 60_000,
        )} min`;
        return {
          patch: { state: 'failed', stateReason: reason },
          event: event('member_failed', `${name(member)}: ${reason}`),
        };
      }
      return {};
    }
    case 'releasing': {
      const release = seen.release;
      if (!release) return {};
      if (release.phase === 'succeeded') {
        return {
          patch: {
            state: 'released',
            stateReason: null,
            completedAt: new Date(release.finishedAt ?? release.updatedAt),
          },
          event: event('member_released', `${name(member)} completed`),
        };
      }
      if (FAILED_PHASES.has(release.phase)) {
        const reason = `${member.version} ${release.phase.replace('_', ' ')}${
          release.message ? `: ${release.message}` : ''
        }`;
        return {
          patch: { state: 'failed', stateReason: reason },
          event: event('member_failed', `${name(member)}: ${reason}`),
        };
      }
      return {};
    }
    case 'released': {
      const latest = seen.recent[0];
      if (
        latest &&
        latest.id !== member.releaseId &&
        latest.version !== member.version
      ) {
        const reason = `${latest.version} replaced ${
          member.version
        } there (${latest.phase.replace('_', ' ')})`;
        return {
          patch: { state: 'failed', stateReason: reason },
          event: event('member_failed', `${name(member)}: ${reason}`),
        };
      }
      return {};
    }
    default:
      return {};
  }
}

/** One member's move while its wave rolls back. */
function rollbackMove(
  plan: StoredPlan,
  member: StoredPlanMember,
  seen: MemberObservation | undefined,
):
  | { patch?: PlanMemberPatch; rollback?: string; event?: NewPlanEvent }
  | 'done' {
  const event = (kind: string, message: string): NewPlanEvent => ({
    kind,
    message,
    wave: member.wave,
    entityRef: member.entityRef,
  });
  if (member.state === 'rolled_back') return 'done';
  // Never started (or not seen to): nothing to roll back.
  if (!member.releaseId) return 'done';
  if (!seen) return {};
  const release = seen.release;
  if (member.rollbackActionId) {
    const action = seen.rollbackAction;
    if (!action) return {};
    if (action.state === 'succeeded') {
      return {
        patch: {
          state: 'rolled_back',
          stateReason: null,
          rolledBackAt: new Date(action.finishedAt ?? action.requestedAt),
        },
        event: event('member_rolled_back', `Rolled back ${name(member)}`),
      };
    }
    if (action.state === 'failed') {
      if (
        member.state === 'failed' &&
        member.stateReason?.startsWith('could not roll back')
      ) {
        return 'done';
      }
      const reason = `could not roll back: ${
        action.error ?? 'the action failed'
      }`;
      return {
        patch: { state: 'failed', stateReason: reason },
        event: event('rollback_failed', `${name(member)}: ${reason}`),
      };
    }
    return {};
  }
  if (
    release &&
    (release.phase === 'rolled_back' || release.phase === 'aborted')
  ) {
    return {
      patch: {
        state: 'rolled_back',
        stateReason: `${member.version} was ${release.phase.replace(
          '_',
          ' ',
        )} already`,
        rolledBackAt: new Date(release.finishedAt ?? release.updatedAt),
      },
      event: event(
        'member_rolled_back',
        `${name(member)} was ${release.phase.replace('_', ' ')} already`,
      ),
    };
  }
  const latest = seen.recent[0];
  if (
    latest &&
    latest.id !== member.releaseId &&
    latest.version !== member.version
  ) {
    return {
      patch: {
        state: 'rolled_back',
        stateReason: `${latest.version} already replaced it`,
        rolledBackAt: new Date(latest.startedAt),
      },
      event: event(
        'member_rolled_back',
        `${name(member)}: ${latest.version} already replaced it`,
      ),
    };
  }
  return { rollback: rollbackKeyOf(plan.id, member.idx) };
}

/** The owners' notice and the plan's end when a member failed. */
function onFailure(
  plan: StoredPlan,
  wave: number,
  failed: StoredPlanMember[],
  now: Date,
): PlanDecision {
  const what = failed
    .map(m => `${m.entityRef} ${m.version} (${m.stateReason ?? 'failed'})`)
    .join('; ');
  if (plan.failurePolicy === 'halt') {
    const reason = `Wave ${
      wave + 1
    } failed: ${what}. The plan halted; nothing was rolled back (failure policy: halt)`;
    return {
      write: {
        plan: { state: 'failed', stateReason: reason, finishedAt: now },
        waves: [{ index: wave, patch: { state: 'failed', waitingFor: null } }],
        events: [{ kind: 'failed', message: reason, wave }],
        releaseClaims: true,
      },
      starts: [],
      rollbacks: [],
      notice: {
        title: `Release plan "${plan.title}" failed`,
        description: reason,
        severity: 'high',
      },
    };
  }
  const reason = `Wave ${wave + 1} failed: ${what}. Rolling back ${
    plan.failurePolicy === 'rollback-all' && wave > 0
      ? `every wave, wave ${wave + 1} first`
      : `wave ${wave + 1}`
  } (failure policy: ${plan.failurePolicy})`;
  return {
    write: {
      plan: { state: 'rolling_back', stateReason: reason },
      waves: [
        { index: wave, patch: { state: 'rolling_back', waitingFor: null } },
      ],
      events: [{ kind: 'rollback_started', message: reason, wave }],
    },
    starts: [],
    rollbacks: [],
    notice: {
      title: `Release plan "${plan.title}" is rolling back`,
      description: reason,
      severity: 'high',
    },
  };
}

function sameWaiting(
  plan: StoredPlan,
  wave: number,
  state: string,
  waitingFor: string | null,
) {
  const current = plan.waves[wave];
  return current.state === state && current.waitingFor === waitingFor;
}

/** What the executor does next with a plan. */
export function decidePlan(
  plan: StoredPlan,
  seen: PlanObservations,
): PlanDecision {
  const { now } = seen;
  switch (plan.state) {
    case 'scheduled': {
      if (now.getTime() < Date.parse(plan.startAt)) return WAIT;
      const message = `Started: ${plan.waves.length} wave${
        plan.waves.length === 1 ? '' : 's'
      }, ${plan.members.length} release${plan.members.length === 1 ? '' : 's'}`;
      return {
        write: {
          plan: {
            state: 'running',
            stateReason: null,
            startedAt: now,
            currentWave: 0,
          },
          events: [{ kind: 'started', message }],
        },
        starts: [],
        rollbacks: [],
        notice: {
          title: `Release plan "${plan.title}" started`,
          description: message,
          severity: 'normal',
        },
      };
    }
    case 'running':
      return decideRunning(plan, seen);
    case 'rolling_back':
      return decideRollingBack(plan, seen);
    default:
      return WAIT;
  }
}

function decideRunning(plan: StoredPlan, seen: PlanObservations): PlanDecision {
  const { now } = seen;
  const index = plan.currentWave ?? 0;
  const wave = plan.waves[index];
  const members = membersOf(plan, index);

  if (wave.state === 'pending' || wave.state === 'waiting') {
    const frozen = plan.freezeOverride
      ? undefined
      : members.map(m => seen.members.get(m.idx)?.frozen).find(Boolean);
    const waitingFor =
      seen.graphProblem ?? (frozen ? `a freeze: ${frozen}` : undefined);
    if (waitingFor) {
      if (sameWaiting(plan, index, 'waiting', waitingFor)) return WAIT;
      return {
        write: {
          waves: [{ index, patch: { state: 'waiting', waitingFor } }],
          events: [
            {
              kind: 'gate_waiting',
              message: `Wave ${index + 1} waits for ${waitingFor}`,
              wave: index,
            },
          ],
        },
        starts: [],
        rollbacks: [],
        notice: {
          title: `Release plan "${plan.title}": wave ${index + 1} waits`,
          description: `Wave ${index + 1} waits for ${waitingFor}`,
          severity: 'normal',
        },
      };
    }
    return {
      write: {
        waves: [
          {
            index,
            patch: { state: 'releasing', waitingFor: null, startedAt: now },
          },
        ],
        events: [
          {
            kind: 'wave_started',
            message: `Wave ${index + 1} started: ${members
              .map(m => m.entityRef)
              .join(', ')}`,
            wave: index,
          },
        ],
      },
      starts: [],
      rollbacks: [],
    };
  }

  if (wave.state !== 'releasing' && wave.state !== 'soaking') return WAIT;

  // The members' own moves, all at once.
  const memberWrites: NonNullable<PlanWrite['members']> = [];
  const events: NewPlanEvent[] = [];
  const starts: number[] = [];
  for (const member of members) {
    const observed = seen.members.get(member.idx);
    if (!observed) continue;
    const move = memberMove(plan, member, observed, now, seen.startTimeoutMs);
    if (move.patch) memberWrites.push({ idx: member.idx, patch: move.patch });
    if (move.event) events.push(move.event);
    if (move.start) starts.push(member.idx);
  }
  if (memberWrites.length || starts.length) {
    return {
      write: memberWrites.length
        ? { members: memberWrites, events }
        : undefined,
      starts,
      rollbacks: [],
    };
  }

  const failed = members.filter(m => m.state === 'failed');
  if (failed.length) return onFailure(plan, index, failed, now);

  if (wave.state === 'releasing') {
    if (!members.every(m => m.state === 'released')) return WAIT;
    const completedAt = new Date(
      Math.max(
        ...members.map(m =>
          m.completedAt ? Date.parse(m.completedAt) : now.getTime(),
        ),
      ),
    );
    return {
      write: {
        waves: [{ index, patch: { state: 'soaking', completedAt } }],
        events: [
          {
            kind: 'wave_released',
            message: `Wave ${index + 1} released`,
            wave: index,
          },
        ],
      },
      starts: [],
      rollbacks: [],
    };
  }

  // Soaking: the gates.
  const soakMs = (plan.gates.soakMinutes ?? 0) * 60_000;
  const soakedAt = Date.parse(wave.completedAt ?? now.toISOString()) + soakMs;
  let waitingFor: string | undefined;
  if (now.getTime() < soakedAt) {
    waitingFor = `the soak time: ${
      plan.gates.soakMinutes
    } min after the wave completed (until ${new Date(soakedAt).toISOString()})`;
  } else {
    waitingFor = members
      .map(m => {
        const problem = seen.members.get(m.idx)?.gateProblem;
        return problem ? `${m.entityRef}: ${problem}` : undefined;
      })
      .find(Boolean);
  }
  if (waitingFor) {
    if (sameWaiting(plan, index, 'soaking', waitingFor)) return WAIT;
    return {
      write: { waves: [{ index, patch: { waitingFor } }] },
      starts: [],
      rollbacks: [],
    };
  }
  const notes = members
    .map(m => {
      const note = seen.members.get(m.idx)?.gateNote;
      return note ? ` (${m.entityRef}: ${note})` : '';
    })
    .join('');
  const last = index === plan.waves.length - 1;
  if (last) {
    const message = `Every wave released (${plan.members.length} release${
      plan.members.length === 1 ? '' : 's'
    })${notes}`;
    return {
      write: {
        plan: { state: 'succeeded', stateReason: message, finishedAt: now },
        waves: [{ index, patch: { state: 'done', waitingFor: null } }],
        events: [{ kind: 'succeeded', message, wave: index }],
        releaseClaims: true,
      },
      starts: [],
      rollbacks: [],
      notice: {
        title: `Release plan "${plan.title}" succeeded`,
        description: message,
        severity: 'normal',
      },
    };
  }
  const passed = `Wave ${index + 1} passed its gates; wave ${
    index + 2
  } goes next`;
  const message = `${passed}${notes}`;
  return {
    write: {
      plan: { currentWave: index + 1 },
      waves: [{ index, patch: { state: 'done', waitingFor: null } }],
      events: [{ kind: 'gate_passed', message, wave: index }],
    },
    starts: [],
    rollbacks: [],
    notice: {
      title: `Release plan "${plan.title}": ${passed}`,
      description: message,
      severity: 'normal',
    },
  };
}

function decideRollingBack(
  plan: StoredPlan,
  seen: PlanObservations,
): PlanDecision {
  const { now } = seen;
  const index = plan.currentWave ?? 0;
  const members = membersOf(plan, index);
  const memberWrites: NonNullable<PlanWrite['members']> = [];
  const events: NewPlanEvent[] = [];
  const rollbacks: PlanDecision['rollbacks'] = [];
  let done = true;
  for (const member of members) {
    const move = rollbackMove(plan, member, seen.members.get(member.idx));
    if (move === 'done') continue;
    done = false;
    if (move.patch) memberWrites.push({ idx: member.idx, patch: move.patch });
    if (move.event) events.push(move.event);
    if (move.rollback) {
      rollbacks.push({
        idx: member.idx,
        releaseId: member.releaseId!,
        key: move.rollback,
      });
    }
  }
  if (memberWrites.length || rollbacks.length) {
    return {
      write: memberWrites.length
        ? { members: memberWrites, events }
        : undefined,
      starts: [],
      rollbacks,
    };
  }
  if (!done) return WAIT;
  const failedRollbacks = plan.members.filter(
    m =>
      m.state === 'failed' && m.stateReason?.startsWith('could not roll back'),
  );
  const next = index - 1;
  if (plan.failurePolicy === 'rollback-all' && next >= 0) {
    return {
      write: {
        plan: { currentWave: next },
        waves: [
          { index, patch: { state: 'rolled_back' } },
          { index: next, patch: { state: 'rolling_back', waitingFor: null } },
        ],
        events: [
          {
            kind: 'wave_rolled_back',
            message: `Wave ${index + 1} rolled back; rolling back wave ${
              next + 1
            }`,
            wave: index,
          },
        ],
      },
      starts: [],
      rollbacks: [],
    };
  }
  const message = failedRollbacks.length
    ? `Rolled back, except ${failedRollbacks
        .map(m => `${m.entityRef} (${m.stateReason})`)
        .join('; ')}`
    : `Rolled back (failure policy: ${plan.failurePolicy})`;
  return {
    write: {
      plan: {
        state: failedRollbacks.length ? 'failed' : 'rolled_back',
        stateReason: `${
          plan.stateReason ? `${plan.stateReason}. ` : ''
        }${message}`,
        finishedAt: now,
      },
      waves: [{ index, patch: { state: 'rolled_back' } }],
      events: [
        {
          kind: failedRollbacks.length ? 'failed' : 'rolled_back',
          message,
          wave: index,
        },
      ],
      releaseClaims: true,
    },
    starts: [],
    rollbacks: [],
    notice: {
      title: `Release plan "${plan.title}" ${
        failedRollbacks.length
          ? 'could not roll everything back'
          : 'rolled back'
      }`,
      description: message,
      severity: 'high',
    },
  };
}
