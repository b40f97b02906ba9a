/**
 * A rollback test of `canary-demo` as the Argo Rollouts controller would
 * leave the objects at each stage, built from the shared fixtures' Rollout
 * and ReplicaSets (never copied). The fixture catches revision 31
 * (`does-not-exist`) rolling out over the stable revision 30 (`green`, a
 * ReplicaSet reused twice before: revision-history 26,28); here revision
 * 31 first completes. What the controller changes at each stage follows its
 * source: a reused ReplicaSet gets the next revision and keeps its old ones
 * in `rollout.argoproj.io/revision-history`, the Rollout's revision
 * annotation follows it (`SetNewReplicaSetAnnotations`,
 * `syncReplicaSetRevision`); a new pod template restarts the steps at 0
 * (`resetRolloutStatus`); a modern controller writes `status.phase` and the
 * `Completed` condition. Nothing here runs a controller: these are the
 * objects it would write, for the mapping to read.
 */
import type { KubeObject } from '../objects';
import { editedFixture } from './fixtures';

/** The hashes and versions of the fixture's ReplicaSets. */
export const TESTED = {
  hash: '65fb5ffc84',
  version: 'does-not-exist',
  rs: 'canary-demo-65fb5ffc84',
};
export const PREVIOUS = {
  hash: '877894d5b',
  version: 'green',
  rs: 'canary-demo-877894d5b',
};

/** Times of the stages (the fixture's revision 31 started 04:52:26). */
export const TIMES = {
  completed: '2019-10-28T05:00:00Z',
  rollback: '2019-10-28T06:00:00Z',
  rolledBack: '2019-10-28T06:10:00Z',
  rollForward: '2019-10-28T07:00:00Z',
  rolledForward: '2019-10-28T07:10:00Z',
};

function condition(
  type: string,
  status: string,
  reason: string,
  message: string,
  time: string,
) {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: time,
    lastUpdateTime: time,
  };
}

type RolloutStage = {
  revision: number;
  generation: number;
  /** The template's image tag. */
  image: string;
  currentPodHash: string;
  stableRS: string;
  currentStepIndex: number;
  phase: 'Healthy' | 'Paused' | 'Progressing';
  /** When the update started, or completed when Healthy. */
  time: string;
};

/** The canary-demo Rollout at one stage. */
function rollout(stage: RolloutStage): KubeObject {
  return editedFixture('canary/canary-rollout.yaml', o => {
    o.metadata.annotations['rollout.argoproj.io/revision'] = String(
      stage.revision,
    );
    o.metadata.generation = stage.generation;
    o.spec.template.spec.containers[0].image = `argoproj/rollouts-demo:${stage.image}`;
    const healthy = stage.phase === 'Healthy';
    const paused = stage.phase === 'Paused';
    o.status = {
      ...o.status,
      observedGeneration: String(stage.generation),
      currentPodHash: stage.currentPodHash,
      stableRS: stage.stableRS,
      currentStepIndex: stage.currentStepIndex,
      phase: stage.phase,
      message: paused ? 'CanaryPauseStep' : undefined,
      pauseConditions: paused
        ? [{ reason: 'CanaryPauseStep', startTime: stage.time }]
        : undefined,
      controllerPause: paused || undefined,
      availableReplicas: 5,
      readyReplicas: 5,
      replicas: 5,
      updatedReplicas: healthy ? 5 : 1,
      conditions: [
        condition(
          'Available',
          'True',
          'AvailableReason',
          'Rollout has minimum availability',
          '2019-10-25T06:07:29Z',
        ),
        healthy
          ? condition(
              'Progressing',
              'True',
              'NewReplicaSetAvailable',
              `ReplicaSet "canary-demo-${stage.currentPodHash}" has successfully progressed.`,
              stage.time,
            )
          : condition(
              'Progressing',
              'Unknown',
              'RolloutPaused',
              'Rollout is paused',
              stage.time,
            ),
        condition(
          'Completed',
          healthy ? 'True' : 'False',
          'RolloutCompleted',
          'RolloutCompleted',
          stage.time,
        ),
      ],
    };
    if (!o.status.message) delete o.status.message;
    if (!o.status.pauseConditions) delete o.status.pauseConditions;
    if (!o.status.controllerPause) delete o.status.controllerPause;
  });
}

type ReplicaSetStage = {
  revision: number;
  history: string | null;
  replicas: number;
};

function replicaSet(file: string, stage: ReplicaSetStage): KubeObject {
  return editedFixture(file, o => {
    o.metadata.annotations['rollout.argoproj.io/revision'] = String(
      stage.revision,
    );
    if (stage.history) {
      o.metadata.annotations['rollout.argoproj.io/revision-history'] =
        stage.history;
    } else {
      delete o.metadata.annotations['rollout.argoproj.io/revision-history'];
    }
    o.spec.replicas = stage.replicas;
    o.status = {
      ...o.status,
      replicas: stage.replicas,
      fullyLabeledReplicas: stage.replicas,
      readyReplicas: stage.replicas,
      availableReplicas: stage.replicas,
    };
  });
}

/** The Rollout and its three ReplicaSets (29 `asdf` is scaled down throughout). */
export type Stage = {
  rollout: KubeObject;
  replicaSets: KubeObject[];
};

const OLD = () =>
  replicaSet('canary/old-rs.yaml', {
    revision: 29,
    history: null,
    replicas: 0,
  });

/** Revision 31 (`does-not-exist`) completed: the release the test rolls back. */
export function completed(): Stage {
  return {
    rollout: rollout({
      revision: 31,
      generation: 429,
      image: TESTED.version,
      currentPodHash: TESTED.hash,
      stableRS: TESTED.hash,
      currentStepIndex: 8,
      phase: 'Healthy',
      time: TIMES.completed,
    }),
    replicaSets: [
      replicaSet('canary/canary-rs.yaml', {
        revision: 31,
        history: null,
        replicas: 5,
      }),
      replicaSet('canary/stable-rs.yaml', {
        revision: 30,
        history: '26,28',
        replicas: 0,
      }),
      OLD(),
    ],
  };
}

/**
 * The controller has seen the undo: `green`'s ReplicaSet is revision 32
 * (history 26,28,30), one pod of five (setWeight 20, no traffic router: four stay on 31)
 * and held at step 2, `pause: {}`, which waits for a promote.
 */
export function rollingBack(): Stage {
  return {
    rollout: rollout({
      revision: 32,
      generation: 430,
      image: PREVIOUS.version,
      currentPodHash: PREVIOUS.hash,
      stableRS: TESTED.hash,
      currentStepIndex: 1,
      phase: 'Paused',
      time: TIMES.rollback,
    }),
    replicaSets: [
      replicaSet('canary/canary-rs.yaml', {
        revision: 31,
        history: null,
        replicas: 4,
      }),
      replicaSet('canary/stable-rs.yaml', {
        revision: 32,
        history: '26,28,30',
        replicas: 1,
      }),
      OLD(),
    ],
  };
}

/** Revision 32 (`green`) passed every step and is stable. */
export function rolledBack(): Stage {
  return {
    rollout: rollout({
      revision: 32,
      generation: 431,
      image: PREVIOUS.version,
      currentPodHash: PREVIOUS.hash,
      stableRS: PREVIOUS.hash,
      currentStepIndex: 8,
      phase: 'Healthy',
      time: TIMES.rolledBack,
    }),
    replicaSets: [
      replicaSet('canary/canary-rs.yaml', {
        revision: 31,
        history: null,
        replicas: 0,
      }),
      replicaSet('canary/stable-rs.yaml', {
        revision: 32,
        history: '26,28,30',
        replicas: 5,
      }),
      OLD(),
    ],
  };
}

/** The controller has seen the roll forward: `does-not-exist` is revision 33 (history 31), at step 2. */
export function rollingForward(): Stage {
  return {
    rollout: rollout({
      revision: 33,
      generation: 432,
      image: TESTED.version,
      currentPodHash: TESTED.hash,
      stableRS: PREVIOUS.hash,
      currentStepIndex: 1,
      phase: 'Paused',
      time: TIMES.rollForward,
    }),
    replicaSets: [
      replicaSet('canary/canary-rs.yaml', {
        revision: 33,
        history: '31',
        replicas: 1,
      }),
      replicaSet('canary/stable-rs.yaml', {
        revision: 32,
        history: '26,28,30',
        replicas: 4,
      }),
      OLD(),
    ],
  };
}

/** Revision 33 (`does-not-exist`) is stable again. */
export function rolledForward(): Stage {
  return {
    rollout: rollout({
      revision: 33,
      generation: 433,
      image: TESTED.version,
      currentPodHash: TESTED.hash,
      stableRS: TESTED.hash,
      currentStepIndex: 8,
      phase: 'Healthy',
      time: TIMES.rolledForward,
    }),
    replicaSets: [
      replicaSet('canary/canary-rs.yaml', {
        revision: 33,
        history: '31',
        replicas: 5,
      }),
      replicaSet('canary/stable-rs.yaml', {
        revision: 32,
        history: '26,28,30',
        replicas: 0,
      }),
      OLD(),
    ],
  };
}
