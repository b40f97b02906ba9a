import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ClusterConfig } from './config';
import { describeApiError } from './errors';
import type { KubernetesClient } from './KubernetesClient';
import type { ExperimentParts } from './mapping/experiments';
import { mapRollout, type RolloutView } from './mapping/mapRollout';
import { invalidSpecProblem } from './mapping/phase';
import {
  RevisionStarts,
  type RevisionStartedAt,
} from './mapping/revisionStarts';
import { KUBERNETES_ID_LABEL, POD_TEMPLATE_HASH_LABEL } from './objects';
import { readAnalysisRun, type AnalysisRun } from './resources/analysisRun';
import { readExperiment, type Experiment } from './resources/experiment';
import { readReplicaSet, type ReplicaSet } from './resources/replicaSet';
import { readRollout, type Rollout } from './resources/rollout';

/** The kinds Glidepath lists, with where they live. */
export const RESOURCES = {
  rollouts: { group: 'argoproj.io', prefix: '/apis/argoproj.io/v1alpha1' },
  replicasets: { group: 'apps', prefix: '/apis/apps/v1' },
  analysisruns: { group: 'argoproj.io', prefix: '/apis/argoproj.io/v1alpha1' },
  experiments: { group: 'argoproj.io', prefix: '/apis/argoproj.io/v1alpha1' },
} as const;

type ResourceName = keyof typeof RESOURCES;

/** The list path of a resource, across namespaces or in one. */
export function listPath(resource: ResourceName, namespace: string | null) {
  const { prefix } = RESOURCES[resource];
  return namespace
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource}`
    : `${prefix}/${resource}`;
}

/** A Rollout as the cache holds it: read, or why it could not be. */
export type CachedRollout =
  | {
      namespace: string;
      name: string;
      rollout: Rollout;
      labels: Record<string, string>;
    }
  | {
      namespace: string;
      name: string;
      error: string;
      labels: Record<string, string>;
    };

/** One reading of a cluster. */
export class ClusterSnapshot {
  readonly readAt: number;
  readonly rollouts: Map<string, CachedRollout>;
  /** By the uid of the Rollout or Experiment that controls them. */
  readonly #replicaSets: Map<string, ReplicaSet[]>;
  readonly #analysisRuns: Map<string, AnalysisRun[]>;
  /** By the uid of the Rollout that controls them. */
  readonly #experiments: Map<string, Experiment[]>;
  readonly #byKubernetesId = new Map<string, CachedRollout[]>();
  readonly #views = new Map<string, RolloutView | Error>();
  readonly #cluster: ClusterConfig;
  readonly #startedAt: RevisionStartedAt;

  constructor(options: {
    cluster: ClusterConfig;
    readAt: number;
    rollouts: unknown[];
    replicaSets: unknown[];
    analysisRuns: unknown[];
    experiments?: unknown[];
    /** The starts of revisions seen to begin, told of this read. */
    revisionStarts?: RevisionStarts;
  }) {
    this.#cluster = options.cluster;
    this.readAt = options.readAt;
    this.rollouts = new Map();
    for (const object of options.rollouts) {
      const meta = (object as { metadata?: Record<string, unknown> })?.metadata;
      const namespace =
        typeof meta?.namespace === 'string' ? meta.namespace : '';
      const name = typeof meta?.name === 'string' ? meta.name : '';
      const rawLabels = meta?.labels;
      const labels =
        rawLabels && typeof rawLabels === 'object'
          ? (rawLabels as Record<string, string>)
          : {};
      let entry: CachedRollout;
      try {
        entry = { namespace, name, labels, rollout: readRollout(object) };
      } catch (error) {
        entry = {
          namespace,
          name,
          labels,
          error: `Rollout ${namespace}/${name} in cluster ${
            this.#cluster.name
          } cannot be read: ${error.message}`,
        };
      }
      this.rollouts.set(`${namespace}/${name}`, entry);
      const id = labels[KUBERNETES_ID_LABEL];
      if (typeof id === 'string') {
        const list = this.#byKubernetesId.get(id) ?? [];
        list.push(entry);
        this.#byKubernetesId.set(id, list);
      }
    }
    const readable = [...this.rollouts.values()].flatMap(entry =>
      'rollout' in entry ? [entry.rollout] : [],
    );
    this.#startedAt =
      options.revisionStarts?.observe(readable, options.readAt) ?? (() => null);
    // Objects that do not parse are left out of the indexes; a Rollout that
    // needs one of them still maps, from what could be read.
    this.#replicaSets = groupByOwner(options.replicaSets, readReplicaSet);
    this.#analysisRuns = groupByOwner(options.analysisRuns, readAnalysisRun);
    this.#experiments = groupByOwner(
      options.experiments ?? [],
      readExperiment,
      experiment => experiment.rolloutUid,
    );
  }

  /** The Rollouts labelled `backstage.io/kubernetes-id=<id>`. */
  rolloutsWithKubernetesId(
    id: string,
    namespace: string | null,
  ): CachedRollout[] {
    return (this.#byKubernetesId.get(id) ?? []).filter(
      r => namespace === null || r.namespace === namespace,
    );
  }

  /** A Rollout mapped to releases, once per snapshot. */
  view(entry: CachedRollout): RolloutView | Error {
    const key = `${entry.namespace}/${entry.name}`;
    const cached = this.#views.get(key);
    if (cached) return cached;
    let view: RolloutView | Error;
    if ('error' in entry) {
      view = new Error(entry.error);
    } else {
      try {
        const uid = entry.rollout.meta.uid;
        const replicaSets = this.#replicaSets.get(uid) ?? [];
        const problem = invalidSpecProblem(entry.rollout, replicaSets.length);
        if (problem) {
          view = new Error(
            `Rollout ${key} in cluster ${this.#cluster.name}: ${problem}`,
          );
        } else {
          view = mapRollout({
            cluster: this.#cluster.name,
            environment: this.#cluster.environment,
            rollout: entry.rollout,
            replicaSets,
            analysisRuns: this.#analysisRuns.get(uid) ?? [],
            experiments: this.#experimentParts(uid),
            currentRevisionStartedAt: this.#startedAt(entry.rollout),
          });
        }
      } catch (error) {
        view = new Error(
          `Rollout ${key} in cluster ${this.#cluster.name} cannot be mapped: ${
            error.message
          }`,
        );
      }
    }
    this.#views.set(key, view);
    return view;
  }

  /** A Rollout's Experiments with the ReplicaSets and runs each controls. */
  #experimentParts(rolloutUid: string): ExperimentParts[] {
    return (this.#experiments.get(rolloutUid) ?? []).map(experiment => ({
      experiment,
      replicaSets: this.#replicaSets.get(experiment.meta.uid) ?? [],
      analysisRuns: this.#analysisRuns.get(experiment.meta.uid) ?? [],
    }));
  }
}

function groupByOwner<T>(
  objects: unknown[],
  read: (object: unknown) => T,
  ownerOf: (item: T) => string | null = item =>
    (item as { controllerUid: string | null }).controllerUid,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const object of objects) {
    let item: T;
    try {
      item = read(object);
    } catch {
      continue;
    }
    const owner = ownerOf(item);
    if (!owner) continue;
    const list = groups.get(owner) ?? [];
    list.push(item);
    groups.set(owner, list);
  }
  return groups;
}

/**
 * What Glidepath knows of one cluster: its Rollouts, their ReplicaSets and
 * AnalysisRuns, from one list per kind (per namespace when the cluster is
 * limited to some), read again when older than the poll interval. Readers
 * share one refresh in flight. Lists after the first carry the last resource
 * version, so the API server answers from its watch cache.
 */
export class ClusterCache {
  readonly cluster: ClusterConfig;
  readonly #client: KubernetesClient;
  readonly #pageSize: number | undefined;
  readonly #versions = new Map<string, string>();
  #snapshot: ClusterSnapshot | null = null;
  #inFlight: Promise<ClusterSnapshot> | null = null;
  readonly #now: () => number;
  readonly #warn: (message: string) => void;
  /** Why Experiments cannot be listed, while they cannot. */
  #experimentsRefused: string | null = null;
  /** When revisions began, for those seen beginning between two reads. */
  readonly #revisionStarts = new RevisionStarts();

  constructor(options: {
    client: KubernetesClient;
    pageSize?: number;
    now?: () => number;
    /** Told once when Experiments cannot be listed (and the rest is read). */
    warn?: (message: string) => void;
  }) {
    this.#client = options.client;
    this.cluster = options.client.cluster;
    this.#pageSize = options.pageSize;
    this.#now = options.now ?? Date.now;
    this.#warn = options.warn ?? (() => {});
  }

  /**
   * The Experiments, or none when the service account may not list them (a
   * ClusterRole from before Glidepath read them) or the API server has no
   * such resource: the Rollouts are read without their experiments, and the
   * reason is told once.
   */
  async #listExperiments(): Promise<unknown[]> {
    try {
      const items = await this.#listAll('experiments');
      this.#experimentsRefused = null;
      return items;
    } catch (error) {
      if (
        !(error instanceof NotAllowedError || error instanceof NotFoundError)
      ) {
        throw error;
      }
      if (this.#experimentsRefused === null) {
        this.#warn(
          `Glidepath reads the Rollouts of cluster ${this.cluster.name} without their Experiments: ${error.message}`,
        );
      }
      this.#experimentsRefused = error.message;
      return [];
    }
  }

  /** The last snapshot, if it is younger than `maxAgeMs`; else a new one. */
  async current(maxAgeMs: number): Promise<ClusterSnapshot> {
    const snapshot = this.#snapshot;
    if (snapshot && this.#now() - snapshot.readAt < maxAgeMs) return snapshot;
    return this.refresh();
  }

  /** Reads the cluster again (joining a read already in flight). */
  refresh(): Promise<ClusterSnapshot> {
    if (!this.#inFlight) {
      this.#inFlight = this.#read().finally(() => {
        this.#inFlight = null;
      });
    }
    return this.#inFlight;
  }

  async #listAll(resource: ResourceName): Promise<unknown[]> {
    const scopes = this.cluster.namespaces ?? [null];
    const lists = await Promise.all(
      scopes.map(async namespace => {
        const path = listPath(resource, namespace);
        try {
          const list = await this.#client.list(path, {
            pageSize: this.#pageSize,
            resourceVersion: this.#versions.get(path),
            // Only the ReplicaSets of Rollouts: theirs carry this label.
            labelSelector:
              resource === 'replicasets' ? POD_TEMPLATE_HASH_LABEL : undefined,
          });
          if (list.resourceVersion) {
            this.#versions.set(path, list.resourceVersion);
          }
          return list.items;
        } catch (error) {
          throw describeApiError(error, {
            cluster: this.cluster.name,
            verb: 'list',
            resource,
            apiGroup: RESOURCES[resource].group,
            namespace,
          });
        }
      }),
    );
    return lists.flat();
  }

  async #read(): Promise<ClusterSnapshot> {
    const readAt = this.#now();
    const [rollouts, replicaSets, analysisRuns, experiments] =
      await Promise.all([
        this.#listAll('rollouts'),
        this.#listAll('replicasets'),
        this.#listAll('analysisruns'),
        this.#listExperiments(),
      ]);
    const snapshot = new ClusterSnapshot({
      cluster: this.cluster,
      readAt,
      rollouts,
      replicaSets,
      analysisRuns,
      experiments,
      revisionStarts: this.#revisionStarts,
    });
    this.#snapshot = snapshot;
    return snapshot;
  }
}
