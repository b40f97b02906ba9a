import { InputError, NotFoundError } from '@backstage/errors';
import {
  isObject,
  type KubeObject,
  POD_TEMPLATE_HASH_LABEL,
  versionOfTemplate,
} from './objects';
import type { ReplicaSet } from './resources/replicaSet';
import type { Rollout } from './resources/rollout';

/**
 * The merge patches of one action on a Rollout, as the kubectl argo rollouts
 * plugin sends them: `status` goes to the status subresource first; if the
 * API server has none (404: Argo Rollouts v0.9, whose CRD has no status
 * subresource), `unified` goes to the main resource instead of `spec`.
 * Otherwise `spec` goes to the main resource after it. Null parts are not
 * sent; a plan with none sends nothing and says why in `message`.
 * @public
 */
export type RolloutPatchPlan = {
  status: KubeObject | null;
  unified: KubeObject | null;
  spec: KubeObject | null;
  /** What the action does, for the action's result. */
  message: string;
};

function rolloutName(rollout: Rollout) {
  return `${rollout.meta.namespace}/${rollout.meta.name}`;
}

/** `kubectl argo rollouts abort`: `{"status":{"abort":true}}`. @public */
export function abortPlan(rollout: Rollout): RolloutPatchPlan {
  const body = { status: { abort: true } };
  return {
    status: body,
    unified: body,
    spec: null,
    message: `aborted ${rolloutLabel(
      rollout,
    )}: traffic goes back to the stable ReplicaSet${
      rollout.status.stableRS ? ` (${rollout.status.stableRS})` : ''
    }; spec.template still names the new version`,
  };
}

function rolloutLabel(rollout: Rollout) {
  return `rollout ${rolloutName(rollout)}`;
}

/** `kubectl argo rollouts retry rollout`: `{"status":{"abort":false}}`. @public */
export function retryPlan(rollout: Rollout): RolloutPatchPlan {
  const body = { status: { abort: false } };
  return {
    status: body,
    unified: body,
    spec: null,
    message: `retried ${rolloutLabel(
      rollout,
    )}: the update starts again from the first step`,
  };
}

/** `kubectl argo rollouts pause`: `{"spec":{"paused":true}}`. @public */
export function pausePlan(rollout: Rollout): RolloutPatchPlan {
  if (rollout.paused) {
    return {
      status: null,
      unified: null,
      spec: null,
      message: `${rolloutLabel(rollout)} is already paused (spec.paused)`,
    };
  }
  return {
    status: null,
    unified: null,
    spec: { spec: { paused: true } },
    message: `paused ${rolloutLabel(rollout)} (spec.paused: true)`,
  };
}

/**
 * Resume: what the plugin's `resume` did (`{"spec":{"paused":false}}`), and
 * the clearing of pause conditions that `promote` does, so a rollout held at
 * a pause step goes on. Unlike promote it never steps past a running
 * analysis or experiment.
 * @public
 */
export function resumePlan(rollout: Rollout): RolloutPatchPlan {
  const paused = rollout.paused;
  const conditions = rollout.status.pauseConditions.length > 0;
  if (!paused && !conditions) {
    return {
      status: null,
      unified: null,
      spec: null,
      message: `${rolloutLabel(rollout)} is not paused: nothing to resume`,
    };
  }
  return {
    status: conditions ? { status: { pauseConditions: null } } : null,
    unified: {
      spec: { paused: false },
      status: { pauseConditions: null },
    },
    spec: paused ? { spec: { paused: false } } : null,
    message: `resumed ${rolloutLabel(rollout)}${
      conditions
        ? ` (cleared ${rollout.status.pauseConditions
            .map(c => c.reason)
            .join(', ')})`
        : ''
    }`,
  };
}

/** Argo's GetCurrentCanaryStep index, null without canary steps. */
function currentStepIndex(rollout: Rollout): number | null {
  if (rollout.strategy.type !== 'canary' || !rollout.strategy.steps.length) {
    return null;
  }
  return rollout.status.currentStepIndex ?? 0;
}

/**
 * `kubectl argo rollouts promote`: unpause (`spec.paused: false`) and clear
 * the pause conditions; with none to clear, a canary steps past its current
 * step (an analysis or experiment that is running); after an inconclusive
 * analysis the controller's pause is lifted and the step passed too.
 * @public
 */
export function promotePlan(rollout: Rollout): RolloutPatchPlan {
  const { status } = rollout;
  const index = currentStepIndex(rollout);
  const steps =
    rollout.strategy.type === 'canary' ? rollout.strategy.steps.length : 0;
  let next: number | null = null;
  if (index !== null) next = index < steps ? index + 1 : index;
  const spec = rollout.paused ? { spec: { paused: false } } : null;
  const inconclusive =
    rollout.strategy.type === 'canary' &&
    status.analysisRuns.currentStep?.status === 'Inconclusive';
  const label = rolloutLabel(rollout);

  if (inconclusive && status.pauseConditions.length && status.controllerPause) {
    if (next !== null) {
      return {
        status: {
          status: {
            pauseConditions: null,
            controllerPause: false,
            currentStepIndex: next,
          },
        },
        unified: { spec: { paused: false }, status: { pauseConditions: null } },
        spec,
        message: `promoted ${label} past its inconclusive analysis to step ${
          next + 1
        }`,
      };
    }
  }
  if (status.pauseConditions.length) {
    return {
      status: { status: { pauseConditions: null } },
      unified: { spec: { paused: false }, status: { pauseConditions: null } },
      spec,
      message: `promoted ${label} (cleared ${status.pauseConditions
        .map(c => c.reason)
        .join(', ')})`,
    };
  }
  if (rollout.strategy.type === 'canary' && next !== null) {
    return {
      status: { status: { pauseConditions: null, currentStepIndex: next } },
      unified: {
        spec: { paused: false },
        status: { pauseConditions: null, currentStepIndex: next },
      },
      spec,
      message: `promoted ${label} to step ${Math.min(
        next + 1,
        steps,
      )} of ${steps}`,
    };
  }
  return {
    status: null,
    unified: { spec: { paused: false }, status: { pauseConditions: null } },
    spec,
    message: spec
      ? `promoted ${label} (spec.paused: false)`
      : `${label} has nothing to promote: it is not paused`,
  };
}

/**
 * `kubectl argo rollouts promote --full`: `{"status":{"promoteFull":true}}`,
 * skipping the remaining steps, pauses and analyses, unless the rollout is
 * already fully promoted. Where the plugin sends nothing to a controller
 * without status subresource, this sends the same patch to the main
 * resource.
 * @public
 */
export function promoteFullPlan(rollout: Rollout): RolloutPatchPlan {
  const { status } = rollout;
  if (
    status.currentPodHash !== null &&
    status.currentPodHash === status.stableRS
  ) {
    return {
      status: null,
      unified: null,
      spec: null,
      message: `${rolloutLabel(rollout)} is already fully promoted`,
    };
  }
  const body = { status: { promoteFull: true } };
  return {
    status: body,
    unified: body,
    spec: null,
    message: `fully promoted ${rolloutLabel(
      rollout,
    )}: remaining steps, pauses and analyses skipped`,
  };
}

/** A JSON patch of a pod template, on the Rollout or its referenced workload. @public */
export type UndoPlan =
  | {
      skip: false;
      /** The path of the object patched. */
      path: string;
      resource: string;
      apiGroup: string;
      body: Array<{ op: 'replace'; path: string; value: unknown }>;
      revision: number;
      message: string;
    }
  | { skip: true; revision: number; message: string };

/** Argo's DeepDerivative: fields `a` leaves unset are not compared. */
export function isDerivative(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return true;
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => isDerivative(item, b[i]))
    );
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    return Object.entries(a).every(([key, value]) =>
      isDerivative(value, b[key]),
    );
  }
  return a === b;
}

function withoutHashLabel(template: KubeObject): KubeObject {
  const copy = structuredClone(template);
  const metadata = copy.metadata;
  if (isObject(metadata) && isObject(metadata.labels)) {
    delete metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

/** The ReplicaSets the Rollout controls, by uid (by name without one). */
function ownedReplicaSets(rollout: Rollout, replicaSets: ReplicaSet[]) {
  return replicaSets.filter(rs =>
    rollout.meta.uid
      ? rs.rolloutUid === rollout.meta.uid
      : rs.rolloutName === rollout.meta.name,
  );
}

/**
 * The ReplicaSet to go back to (Argo's rolloutRevision): the given revision,
 * or with none the second newest of the Rollout's ReplicaSets.
 */
export function revisionToRestore(
  rollout: Rollout,
  replicaSets: ReplicaSet[],
  toRevision?: number,
): ReplicaSet {
  const owned = ownedReplicaSets(rollout, replicaSets)
    .filter(rs => rs.revision !== null)
    .sort((a, b) => b.revision! - a.revision!);
  if (toRevision !== undefined) {
    const match = owned.find(rs => rs.revision === toRevision);
    if (!match) {
      throw new InputError(
        `${rolloutLabel(rollout)} has no revision ${toRevision} (it has ${
          owned.map(rs => rs.revision).join(', ') || 'none'
        })`,
      );
    }
    return match;
  }
  if (owned.length < 2) {
    throw new InputError(
      `${rolloutLabel(rollout)} has no earlier revision to go back to`,
    );
  }
  return owned[1];
}

/** The object whose pod template an undo replaces, and where in it. */
export function workloadTarget(rollout: Rollout): {
  path: string;
  resource: string;
  apiGroup: string;
  templatePath: string;
} {
  const ns = encodeURIComponent(rollout.meta.namespace);
  const ref = rollout.workloadRef;
  if (!ref) {
    return {
      path: `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/${encodeURIComponent(
        rollout.meta.name,
      )}`,
      resource: 'rollouts',
      apiGroup: 'argoproj.io',
      templatePath: '/spec/template',
    };
  }
  const name = encodeURIComponent(ref.name);
  switch (ref.kind) {
    case 'Deployment':
      return {
        path: `/apis/apps/v1/namespaces/${ns}/deployments/${name}`,
        resource: 'deployments',
        apiGroup: 'apps',
        templatePath: '/spec/template',
      };
    case 'ReplicaSet':
      return {
        path: `/apis/apps/v1/namespaces/${ns}/replicasets/${name}`,
        resource: 'replicasets',
        apiGroup: 'apps',
        templatePath: '/spec/template',
      };
    case 'PodTemplate':
      // A PodTemplate keeps its pod template at the top, not under spec.
      return {
        path: `/api/v1/namespaces/${ns}/podtemplates/${name}`,
        resource: 'podtemplates',
        apiGroup: '',
        templatePath: '/template',
      };
    default:
      throw new InputError(
        `${rolloutLabel(rollout)} references a ${
          ref.kind
        }, whose template Glidepath cannot restore (Deployment, ReplicaSet and PodTemplate can be)`,
      );
  }
}

/** The patch that writes `target`'s pod template back, or a skip. */
function restorePlan(
  rollout: Rollout,
  target: ReplicaSet,
  text: {
    skipped: (revision: number) => string;
    done: (revision: number, where: string) => string;
  },
  /** The referenced workload's template, for a Rollout with a workloadRef. */
  workloadTemplate: KubeObject | null = null,
): UndoPlan {
  const revision = target.revision!;
  if (!target.template) {
    throw new InputError(
      `the ReplicaSet ${target.meta.name} of revision ${revision} has no pod template to restore`,
    );
  }
  const restored = withoutHashLabel(target.template);
  const current = rollout.template ?? workloadTemplate;
  if (current && isDerivative(withoutHashLabel(current), restored)) {
    return { skip: true, revision, message: text.skipped(revision) };
  }
  const where = workloadTarget(rollout);
  return {
    skip: false,
    path: where.path,
    resource: where.resource,
    apiGroup: where.apiGroup,
    body: [{ op: 'replace', path: where.templatePath, value: restored }],
    revision,
    message: text.done(
      revision,
      rollout.workloadRef
        ? ` by restoring the template of its ${rollout.workloadRef.kind} ${rollout.workloadRef.name}`
        : '',
    ),
  };
}

/**
 * `kubectl argo rollouts undo [--to-revision=N]`: the pod template of the
 * ReplicaSet of that revision (by default the previous one), without its
 * pod-template-hash label, written back as a JSON patch replacing
 * `spec.template` of the Rollout, or of the workload it references. Skipped
 * when the Rollout's template already matches.
 * @public
 */
export function undoPlan(
  rollout: Rollout,
  replicaSets: ReplicaSet[],
  toRevision?: number,
): UndoPlan {
  const label = rolloutLabel(rollout);
  return restorePlan(
    rollout,
    revisionToRestore(rollout, replicaSets, toRevision),
    {
      skipped: revision =>
        `skipped the rollback of ${label}: its template already matches revision ${revision}`,
      done: (revision, where) =>
        `rolled ${label} back to revision ${revision}${where}`,
    },
  );
}

/**
 * The Rollout's ReplicaSet that ran `revision`: the one whose revision
 * annotation it is or, once a rollback or a roll forward reused that
 * ReplicaSet (Argo then gives it the next revision, as Deployments do), the
 * one whose `rollout.argoproj.io/revision-history` lists it. The annotation
 * keeps the link from a release id to its pod template (and so to its
 * pod-template hash, which never changes) across reuses. Null when the
 * ReplicaSet is gone.
 * @public
 */
export function replicaSetOfRevision(
  rollout: Rollout,
  replicaSets: ReplicaSet[],
  revision: number,
): ReplicaSet | null {
  const owned = ownedReplicaSets(rollout, replicaSets);
  return (
    owned.find(rs => rs.revision === revision) ??
    owned.find(rs => rs.revisionHistory.includes(revision)) ??
    null
  );
}

/**
 * Roll forward after a rollback test:
 * `kubectl argo rollouts undo --to-revision=N`, where N is the current
 * revision of the ReplicaSet that ran the completed release's revision
 * (`replicaSetOfRevision`), so the release's version runs again as a new
 * revision. Skipped when the Rollout already runs that template or is on
 * its way to it: its template (with a workloadRef, the referenced
 * workload's) matches, or, with no template to compare, its current
 * pod-template hash is that ReplicaSet's. Throws a NotFoundError when the
 * ReplicaSet is gone (pruned by `spec.revisionHistoryLimit`), and an
 * InputError when its version is not the one Glidepath expects.
 * @public
 */
export function rollForwardPlan(
  rollout: Rollout,
  replicaSets: ReplicaSet[],
  release: { revision: number; version: string },
  /** With a workloadRef: the referenced workload's pod template, as read. */
  workloadTemplate: KubeObject | null = null,
): UndoPlan {
  const label = rolloutLabel(rollout);
  const target = replicaSetOfRevision(rollout, replicaSets, release.revision);
  if (!target) {
    const kept = ownedReplicaSets(rollout, replicaSets)
      .map(rs => rs.revision)
      .filter((r): r is number => r !== null)
      .sort((a, b) => b - a);
    throw new NotFoundError(
      `${label} has no ReplicaSet of revision ${
        release.revision
      } any more, so its version ${
        release.version
      } cannot be rolled forward (it keeps revisions ${
        kept.join(', ') || 'none'
      }): the controller deleted it beyond spec.revisionHistoryLimit (${
        rollout.revisionHistoryLimit ?? 'unset, 10'
      }); a rollback test needs at least 1 (2 to be safe)`,
    );
  }
  const version = versionOfTemplate(target.templateSummary);
  if (version !== null && version !== release.version) {
    throw new InputError(
      `revision ${release.revision} of ${label} runs ${version}, not ${release.version}: Glidepath does not roll it forward`,
    );
  }
  const now = target.revision!;
  const known = now === release.revision ? '' : `, now revision ${now}`;
  const aborted = rollout.status.abort
    ? '; its update is aborted: retry it to go on'
    : '';
  const skipped = `skipped the roll forward of ${label}: it already runs or rolls out ${release.version} (the template of revision ${release.revision}${known}, ReplicaSet ${target.meta.name})${aborted}`;
  // Without a template to compare (a workload that could not be read),
  // the pod-template hash the controller rolls out tells.
  if (
    !rollout.template &&
    !workloadTemplate &&
    target.podTemplateHash !== null &&
    target.podTemplateHash === rollout.status.currentPodHash
  ) {
    return { skip: true, revision: now, message: skipped };
  }
  return restorePlan(
    rollout,
    target,
    {
      skipped: () => skipped,
      done: (_, where) =>
        `rolled ${label} forward to ${release.version}, the template of revision ${release.revision}${known} (undo --to-revision=${now})${where}`,
    },
    workloadTemplate,
  );
}
