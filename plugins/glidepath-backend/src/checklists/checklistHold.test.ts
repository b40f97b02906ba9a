import type {
  ChecklistGate,
  Release,
  ReleaseAction,
  ReleaseStep,
} from '@glidepath/backstage-plugin-common';
import { CHECKLIST_ACTOR, checklistHold } from './checklistHold';

const steps = (pause: 'timed' | 'indefinite'): ReleaseStep[] => [
  {
    index: 0,
    kind: 'set_weight',
    weight: 20,
    description: 'weight',
    status: 'completed',
  },
  {
    index: 1,
    kind: 'pause',
    durationSeconds: pause === 'timed' ? 60 : null,
    description: 'pause',
    status: 'completed',
  },
  {
    index: 2,
    kind: 'set_weight',
    weight: 50,
    description: 'weight',
    status: 'completed',
  },
  {
    index: 3,
    kind: 'pause',
    durationSeconds: pause === 'timed' ? 60 : null,
    description: 'pause',
    status: 'running',
  },
  {
    index: 4,
    kind: 'set_weight',
    weight: 100,
    description: 'weight',
    status: 'pending',
  },
];

function release(
  phase: Release['phase'],
  currentStepIndex: number,
  pause: 'timed' | 'indefinite' = 'timed',
): Release {
  return {
    id: 'r1',
    entityRef: 'component:default/checkout',
    version: '2.0.0',
    previousVersion: '1.0.0',
    environment: 'production',
    strategy: 'canary',
    phase,
    steps: steps(pause),
    currentStepIndex,
    canaryWeight: 50,
    provider: 'fake',
    providerRef: 'checkout@2',
    simulated: false,
    message: null,
    startedBy: { kind: 'provider', ref: 'fake' },
    commit: null,
    startedAt: '2026-12-03T10:00:00Z',
    updatedAt: '2026-12-03T10:00:00Z',
    finishedAt: null,
  };
}

const open: ChecklistGate = {
  blocking: true,
  openRequired: ['On-call aware'],
  reason:
    'The release checklist holds the release before its final step: 1 required item is open (On-call aware)',
};
const done: ChecklistGate = { blocking: false, openRequired: [], reason: null };

function action(
  kind: ReleaseAction['action'],
  by: 'checklist' | 'person',
  state: ReleaseAction['state'] = 'succeeded',
): ReleaseAction {
  return {
    id: 'a7',
    releaseId: 'r1',
    entityRef: 'component:default/checkout',
    action: kind,
    reason: 'why',
    state,
    requestedBy:
      by === 'checklist'
        ? CHECKLIST_ACTOR
        : { kind: 'user', ref: 'user:default/alice' },
    requestedAt: '2026-12-03T10:01:00Z',
    startedAt: null,
    finishedAt: null,
    error: null,
  };
}

describe('checklistHold', () => {
  it.each([
    // name, release, gate, latest action, expected action, key
    [
      'pauses a release about to move into its final step by itself',
      release('progressing', 3),
      open,
      undefined,
      'pause',
      'checklist-pause:r1:after:start',
    ],
    [
      'keys the pause by the action before it',
      release('progressing', 3),
      open,
      action('resume', 'person'),
      'pause',
      'checklist-pause:r1:after:a7',
    ],
    [
      'leaves a release before the gate alone',
      release('progressing', 1),
      open,
      undefined,
      undefined,
      undefined,
    ],
    [
      'does not pause an indefinite pause (a promote is refused instead)',
      release('progressing', 3, 'indefinite'),
      open,
      undefined,
      undefined,
      undefined,
    ],
    [
      'does nothing when the checklist is complete',
      release('progressing', 3),
      done,
      undefined,
      undefined,
      undefined,
    ],
    [
      'does nothing without a checklist',
      release('progressing', 3),
      undefined,
      undefined,
      undefined,
      undefined,
    ],
    [
      'resumes what it paused once the checklist is complete',
      release('paused', 3),
      done,
      action('pause', 'checklist'),
      'resume',
      'checklist-resume:r1:after:a7',
    ],
    [
      'does not resume while items are open',
      release('paused', 3),
      open,
      action('pause', 'checklist'),
      undefined,
      undefined,
    ],
    [
      'does not resume a pause a person asked for',
      release('paused', 3),
      done,
      action('pause', 'person'),
      undefined,
      undefined,
    ],
    [
      'does not resume before its pause took effect',
      release('paused', 3),
      done,
      action('pause', 'checklist', 'running'),
      undefined,
      undefined,
    ],
  ] as const)('%s', (_name, rel, gate, latestAction, expected, key) => {
    const hold = checklistHold({ release: rel, gate, latestAction });
    expect(hold?.action).toBe(expected);
    expect(hold?.idempotencyKey).toBe(key);
  });

  it('says why it paused', () => {
    expect(
      checklistHold({
        release: release('progressing', 4),
        gate: open,
        latestAction: undefined,
      })?.reason,
    ).toBe(
      'The release checklist holds the release before its final step: 1 required item is open (On-call aware). Glidepath paused 2.0.0 there; it resumes by itself once they are ticked.',
    );
  });
});
