/**
 * The Experiments of a canary's experiment steps, as Glidepath shows them on
 * their step: each template's ReplicaSet with its readiness, and the
 * analysis runs that judge the experiment.
 */
import type {
  StepExperiment,
  StepExperimentRun,
} from '@glidepath/backstage-plugin-common';
import type { AnalysisRun } from '../resources/analysisRun';
import type { Experiment } from '../resources/experiment';
import type { ReplicaSet } from '../resources/replicaSet';
import type { Rollout } from '../resources/rollout';
import { verdictOf } from './analysisRuns';
import { currentCanaryStep } from './steps';

/** An Experiment of a Rollout with the ReplicaSets and AnalysisRuns it controls. @public */
export type ExperimentParts = {
  experiment: Experiment;
  replicaSets: ReplicaSet[];
  analysisRuns: AnalysisRun[];
};

/**
 * An Experiment as its step carries it. A template's counts are its
 * ReplicaSet's when that was read (controllers label them
 * `rollouts-pod-template-hash`, so the ReplicaSet list finds them; those of
 * 2019 did not), else what the Experiment's status says of the template.
 * @public
 */
export function mapExperiment(parts: ExperimentParts): StepExperiment {
  const { experiment } = parts;
  const templateNames = experiment.templates.length
    ? experiment.templates
    : experiment.templateStatuses.map(t => t.name);
  const templates = templateNames.map(name => {
    const rs = parts.replicaSets.find(r => r.experimentTemplate === name);
    const status = experiment.templateStatuses.find(t => t.name === name);
    return {
      name,
      replicaSet: rs?.meta.name ?? null,
      status: status?.status ?? null,
      replicas: rs ? rs.replicas : status?.replicas ?? 0,
      readyReplicas: rs ? rs.readyReplicas : status?.readyReplicas ?? 0,
      availableReplicas: rs
        ? rs.availableReplicas
        : status?.availableReplicas ?? 0,
    };
  });

  // The runs the Experiment's status names, as their AnalysisRuns say now,
  // then any other run it controls.
  const analysisRuns: StepExperimentRun[] = [];
  const named = new Set<string>();
  for (const entry of experiment.analysisRuns) {
    const run = parts.analysisRuns.find(r => r.meta.name === entry.analysisRun);
    const phase = run?.phase ?? entry.phase;
    if (entry.analysisRun) named.add(entry.analysisRun);
    analysisRuns.push({
      name: entry.analysisRun ?? entry.name,
      analysis: entry.name,
      phase,
      verdict: verdictOf(phase),
      message: run?.message ?? entry.message,
    });
  }
  for (const run of parts.analysisRuns) {
    if (named.has(run.meta.name)) continue;
    analysisRuns.push({
      name: run.meta.name,
      analysis: null,
      phase: run.phase,
      verdict: verdictOf(run.phase),
      message: run.message,
    });
  }

  return {
    name: experiment.meta.name,
    phase: experiment.phase,
    verdict: verdictOf(experiment.phase),
    message: experiment.message,
    templates,
    analysisRuns,
  };
}

/**
 * The index of the canary step that created the experiment: the current
 * step when the Rollout names it as its current experiment, else the step
 * its name gives (`<rollout>-<hash>-<revision>-<step>`, or
 * `<rollout>-<hash>-<step>-<random>` from controllers of 2019), else the
 * only experiment step. Null when none of these is an experiment step.
 */
export function experimentStepIndex(
  rollout: Rollout,
  experiment: Experiment,
): number | null {
  if (rollout.strategy.type !== 'canary') return null;
  const steps = rollout.strategy.steps;
  const isExperimentStep = (i: number | null): i is number =>
    i !== null && steps[i]?.type === 'experiment';

  const current = currentCanaryStep(rollout);
  if (
    experiment.meta.name === rollout.status.currentExperiment &&
    isExperimentStep(current)
  ) {
    return current;
  }

  const prefix = `${rollout.meta.name}-${
    experiment.podTemplateHash ? `${experiment.podTemplateHash}-` : ''
  }`;
  if (experiment.meta.name.startsWith(prefix)) {
    const rest = experiment.meta.name.slice(prefix.length);
    const numbered = /^(\d+)-(\d+)$/.exec(rest);
    const generated = /^(\d+)-[a-z0-9]+$/.exec(rest);
    let index: number | null = null;
    if (numbered && Number(numbered[1]) === experiment.revision) {
      index = Number(numbered[2]);
    } else if (generated) {
      index = Number(generated[1]);
    }
    if (isExperimentStep(index)) return index;
  }

  const experimentSteps = steps
    .map((step, i) => (step.type === 'experiment' ? i : null))
    .filter(isExperimentStep);
  return experimentSteps.length === 1 ? experimentSteps[0] : null;
}

/**
 * The experiment of each experiment step of the current revision, by step
 * index; the newest when a step has several.
 */
export function experimentsBySteps(
  rollout: Rollout,
  experiments: ExperimentParts[],
  revision: number,
  podTemplateHash: string | null,
): Map<number, StepExperiment> {
  const ofRevision = experiments
    .filter(({ experiment }) =>
      experiment.revision !== null
        ? experiment.revision === revision
        : podTemplateHash !== null &&
          experiment.podTemplateHash === podTemplateHash,
    )
    .sort((a, b) =>
      (a.experiment.meta.creationTimestamp ?? '').localeCompare(
        b.experiment.meta.creationTimestamp ?? '',
      ),
    );
  const bySteps = new Map<number, StepExperiment>();
  for (const parts of ofRevision) {
    const index = experimentStepIndex(rollout, parts.experiment);
    if (index !== null) bySteps.set(index, mapExperiment(parts));
  }
  return bySteps;
}

/**
 * The AnalysisRuns the experiments control, as runs of the revision the
 * experiment belongs to (they carry no revision themselves), with the kind
 * `Experiment` when they have no `rollout-type`.
 */
export function experimentAnalysisRuns(
  experiments: ExperimentParts[],
): AnalysisRun[] {
  return experiments.flatMap(({ experiment, analysisRuns }) =>
    analysisRuns.map(run => ({
      ...run,
      revision: run.revision ?? experiment.revision,
      podTemplateHash: run.podTemplateHash ?? experiment.podTemplateHash,
      rolloutType: run.rolloutType ?? 'Experiment',
    })),
  );
}
