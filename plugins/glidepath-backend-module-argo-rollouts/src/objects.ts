/**
 * Reading Argo Rollouts and Kubernetes objects as they arrive from the API
 * server: plain JSON, where the controller and older API servers sometimes
 * write numbers as strings (`"observedGeneration": "429"`, `"replicas":
 * "3"`). Every reader here is pure; a field that is present but cannot be
 * read throws an {@link ObjectParseError} naming the field.
 */

/** A JSON object from the API server. @public */
export type KubeObject = Record<string, unknown>;

/** An object that Glidepath cannot read, with the field that is wrong. @public */
export class ObjectParseError extends Error {
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'ObjectParseError';
    this.field = field;
  }
}

/** The label that carries a ReplicaSet's pod template hash. */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
/** The annotation with a Rollout's, ReplicaSet's or AnalysisRun's revision. */
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
/** Revisions a reused ReplicaSet had before its current one. */
export const REVISION_HISTORY_ANNOTATION =
  'rollout.argoproj.io/revision-history';
/** Backstage's label for the Kubernetes objects of an entity. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** A pod template annotation with the commit a version was built from. */
export const COMMIT_ANNOTATION = 'glidepath.dev/commit';
/** The conventional label with an application's version. */
export const VERSION_LABEL = 'app.kubernetes.io/version';

function isObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `field`, `{}` when absent. */
export function objectAt(
  parent: KubeObject,
  key: string,
  field: string,
): KubeObject {
  const value = parent[key];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new ObjectParseError(field, 'is not an object');
  return value;
}

/** The optional object at `field`; null when absent. */
export function optionalObjectAt(
  parent: KubeObject,
  key: string,
  field: string,
): KubeObject | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new ObjectParseError(field, 'is not an object');
  return value;
}

export function arrayAt(
  parent: KubeObject,
  key: string,
  field: string,
): unknown[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ObjectParseError(field, 'is not a list');
  return value;
}

export function stringAt(
  parent: KubeObject,
  key: string,
  field: string,
): string | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new ObjectParseError(field, 'is not a string');
  }
  return value;
}

/** A whole number, also when written as a string (`"429"`). */
export function integerAt(
  parent: KubeObject,
  key: string,
  field: string,
): number | null {
  const value = parent[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  throw new ObjectParseError(
    field,
    `is not a whole number: ${JSON.stringify(value)}`,
  );
}

/** A boolean, also when written as `"true"` / `"false"`. */
export function booleanAt(
  parent: KubeObject,
  key: string,
  field: string,
): boolean {
  const value = parent[key];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ObjectParseError(
    field,
    `is not true or false: ${JSON.stringify(value)}`,
  );
}

function stringMap(
  parent: KubeObject,
  key: string,
  field: string,
): Record<string, string> {
  const map = objectAt(parent, key, field);
  const result: Record<string, string> = {};
  for (const name of Object.keys(map)) {
    result[name] = stringAt(map, name, `${field}.${name}`) ?? '';
  }
  return result;
}

/**
 * A Go duration as Argo Rollouts writes pause durations: a whole number of
 * seconds (`30`, `"30"`) or a string with units (`"10s"`, `"1m30s"`,
 * `"1h"`). Returns seconds.
 */
export function parseDurationSeconds(value: unknown, field: string): number {
  if (typeof value === 'number' && value >= 0) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d+$/.test(text)) return Number(text);
    const unit = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
    let seconds = 0;
    let consumed = '';
    for (const match of text.matchAll(unit)) {
      const amount = Number(match[1]);
      const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2]]!;
      seconds += amount * factor;
      consumed += match[0];
    }
    if (consumed.length > 0 && consumed === text) {
      return Math.round(seconds * 1000) / 1000;
    }
  }
  throw new ObjectParseError(
    field,
    `is not a duration such as 30, "30s" or "1m": ${JSON.stringify(value)}`,
  );
}

/** An owner reference. */
export type OwnerReference = {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
};

/** The metadata Glidepath reads. @public */
export type ObjectMeta = {
  name: string;
  namespace: string;
  uid: string;
  generation: number | null;
  resourceVersion: string | null;
  creationTimestamp: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: OwnerReference[];
};

/**
 * The parts every Kubernetes object Glidepath reads has: its metadata, spec
 * and status; throws an ObjectParseError naming what is missing.
 */
export function readKubeObject(
  object: unknown,
  kind: string,
): { meta: ObjectMeta; spec: KubeObject; status: KubeObject } {
  if (!isObject(object)) {
    throw new ObjectParseError(`the ${kind}`, 'is not a JSON object');
  }
  return {
    meta: readMeta(object, kind),
    spec: objectAt(object, 'spec', 'spec'),
    status: objectAt(object, 'status', 'status'),
  };
}

export function readMeta(object: KubeObject, kind: string): ObjectMeta {
  const metadata = objectAt(object, 'metadata', 'metadata');
  const name = stringAt(metadata, 'name', 'metadata.name');
  if (!name) {
    throw new ObjectParseError('metadata.name', `of the ${kind} is missing`);
  }
  return {
    name,
    namespace: stringAt(metadata, 'namespace', 'metadata.namespace') ?? '',
    uid: stringAt(metadata, 'uid', 'metadata.uid') ?? '',
    generation: integerAt(metadata, 'generation', 'metadata.generation'),
    resourceVersion: stringAt(
      metadata,
      'resourceVersion',
      'metadata.resourceVersion',
    ),
    creationTimestamp: stringAt(
      metadata,
      'creationTimestamp',
      'metadata.creationTimestamp',
    ),
    labels: stringMap(metadata, 'labels', 'metadata.labels'),
    annotations: stringMap(metadata, 'annotations', 'metadata.annotations'),
    ownerReferences: arrayAt(
      metadata,
      'ownerReferences',
      'metadata.ownerReferences',
    ).map((ref, i) => {
      const field = `metadata.ownerReferences[${i}]`;
      if (!isObject(ref)) throw new ObjectParseError(field, 'is not an object');
      return {
        apiVersion: stringAt(ref, 'apiVersion', `${field}.apiVersion`) ?? '',
        kind: stringAt(ref, 'kind', `${field}.kind`) ?? '',
        name: stringAt(ref, 'name', `${field}.name`) ?? '',
        uid: stringAt(ref, 'uid', `${field}.uid`) ?? '',
        controller: booleanAt(ref, 'controller', `${field}.controller`),
      };
    }),
  };
}

/** The revision annotation as a number; null when absent or not a number. */
export function revisionOf(meta: ObjectMeta): number | null {
  const value = meta.annotations[REVISION_ANNOTATION];
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** What a pod template tells about the version it runs. */
export type PodTemplateSummary = {
  images: string[];
  /** The `app.kubernetes.io/version` label, when set. */
  versionLabel: string | null;
  /** The `glidepath.dev/commit` annotation, when set. */
  commit: string | null;
};

export function summarizePodTemplate(
  template: KubeObject | null,
  field: string,
): PodTemplateSummary {
  if (!template) return { images: [], versionLabel: null, commit: null };
  const metadata = objectAt(template, 'metadata', `${field}.metadata`);
  const labels = stringMap(metadata, 'labels', `${field}.metadata.labels`);
  const annotations = stringMap(
    metadata,
    'annotations',
    `${field}.metadata.annotations`,
  );
  const spec = objectAt(template, 'spec', `${field}.spec`);
  const images = arrayAt(spec, 'containers', `${field}.spec.containers`).map(
    (container, i) => {
      const at = `${field}.spec.containers[${i}]`;
      if (!isObject(container)) {
        throw new ObjectParseError(at, 'is not an object');
      }
      return stringAt(container, 'image', `${at}.image`) ?? '';
    },
  );
  return {
    images,
    versionLabel: labels[VERSION_LABEL] || null,
    commit: annotations[COMMIT_ANNOTATION] || null,
  };
}

/**
 * The version an image runs: its tag (`argoproj/rollouts-demo:green` ->
 * `green`), else the first 12 hex digits of its digest (`sha256:1a2b...`),
 * else `latest`, as a container runtime reads an image without a tag.
 */
export function versionOfImage(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) return name.slice(colon + 1);
  if (at >= 0) {
    const digest = image.slice(at + 1);
    const [algorithm, hex] = digest.split(':');
    return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
  }
  return 'latest';
}

/**
 * The version of a pod template: its `app.kubernetes.io/version` label when
 * set, else the tag of its first container's image. Null without either.
 */
export function versionOfTemplate(summary: PodTemplateSummary): string | null {
  if (summary.versionLabel) return summary.versionLabel;
  if (summary.images.length > 0 && summary.images[0]) {
    return versionOfImage(summary.images[0]);
  }
  return null;
}

export { isObject };
