/**
 * What `startRelease` writes: the object `kubectl argo rollouts set image`
 * would send, with the image of one container of the pod template given the
 * release's version as its tag. Pure: the requests are in startRelease.ts.
 */
import { InputError } from '@backstage/errors';
import { isObject, VERSION_LABEL, type KubeObject } from '../objects';

/** The entity annotation naming the container whose image a start sets. */
export const CONTAINER_ANNOTATION = 'glidepath.dev/container';

/**
 * Written on the object with each start: the request's idempotency key, so
 * that a repeated start (a retry after a crash, from any replica) writes
 * nothing, even once the image moved on.
 */
export const START_KEY_ANNOTATION = 'glidepath.dev/start-key';

// A Docker/OCI tag: a word character, then up to 127 word characters, dots
// and dashes.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Why `version` cannot be an image tag, or undefined. */
export function tagProblem(version: string): string | undefined {
  if (TAG.test(version)) return undefined;
  return `"${version}" cannot be an image tag: Argo Rollouts releases a version as the tag of the container's image, which takes up to 128 letters, digits, underscores, dots and dashes, not starting with a dot or dash${
    version.includes('+')
      ? ' (semver build metadata after "+" is not allowed)'
      : ''
  }`;
}

/**
 * `image` with `tag` as its tag: its repository (registry, port and path
 * included) kept, its tag replaced and its digest dropped (a digest pins
 * the old content: the runtime would ignore the tag).
 * `registry.example.com:5000/shop/checkout:1.2.3@sha256:ab…` with `1.3.0`
 * is `registry.example.com:5000/shop/checkout:1.3.0`.
 */
export function imageWithTag(image: string, tag: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  // A colon before the last slash is a registry's port, not a tag.
  const repository = colon > lastSlash ? name.slice(0, colon) : name;
  return `${repository}:${tag}`;
}

/** What to write for a start: nothing (and why), or the updated object. */
export type SetImagePlan =
  | { kind: 'nothing'; message: string }
  | { kind: 'update'; object: KubeObject; message: string };

/**
 * The object (a Rollout, or the workload its `workloadRef` names) with the
 * image of `container` (the first container when not given) in its pod
 * template (at `templatePath`, e.g. `/spec/template`) given `version` as
 * its tag, as `kubectl argo rollouts set image <rollout>
 * <container>=<image>` sends it: the whole object read, changed in that
 * one field, its `metadata.resourceVersion` kept so that the API server
 * refuses it (409) when the object changed since. The template's
 * `app.kubernetes.io/version` label, when it has one, is set to `version`
 * too: Glidepath reads a release's version from it before the image. The
 * request's key goes into the object's `glidepath.dev/start-key`
 * annotation.
 *
 * Nothing to write when the object carries the key already (a repeated
 * start), or when the container's image already is that image (and the
 * label that version): the Rollout runs the version or is on its way to it.
 *
 * Throws `InputError` for a version that cannot be a tag, a template
 * without containers, a container it does not have (naming those it has),
 * and a container other than the first in a template without the version
 * label (Glidepath would read the first container's tag as the release's
 * version, so the plan would wait for a version that never shows up).
 */
export function planSetImage(
  object: KubeObject,
  options: {
    templatePath: string;
    /** E.g. `Rollout shop/checkout`, for messages. */
    describe: string;
    container?: string;
    version: string;
    idempotencyKey: string;
  },
): SetImagePlan {
  const problem = tagProblem(options.version);
  if (problem) throw new InputError(problem);
  const copy = structuredClone(object);
  const template = nodeAt(copy, options.templatePath);
  const templateAt = options.templatePath.split('/').slice(1).join('.');
  const spec = isObject(template) ? template.spec : undefined;
  const containers =
    isObject(spec) && Array.isArray(spec.containers) ? spec.containers : [];
  if (!containers.length || !containers.every(isObject)) {
    throw new InputError(
      `${options.describe} has no containers in ${templateAt}.spec.containers to set the image of`,
    );
  }
  const names = containers.map(c => String((c as KubeObject).name ?? ''));
  const index = options.container ? names.indexOf(options.container) : 0;
  if (index < 0) {
    throw new InputError(
      `${options.describe} has no container named "${
        options.container
      }" (it has ${names
        .map(n => `"${n}"`)
        .join(', ')}): fix the entity's ${CONTAINER_ANNOTATION} annotation`,
    );
  }
  const container = containers[index] as KubeObject;
  const metadata = isObject(template!.metadata) ? template!.metadata : {};
  const labels = isObject(metadata.labels) ? metadata.labels : {};
  const hasVersionLabel = typeof labels[VERSION_LABEL] === 'string';
  if (index > 0 && !hasVersionLabel) {
    throw new InputError(
      `Glidepath reads the version of ${options.describe} from the tag of its first container ("${names[0]}"), and its pod template has no ${VERSION_LABEL} label: setting the image of "${names[index]}" would not show up as a release of ${options.version}. Add the label to the template, or name the first container`,
    );
  }
  const annotations = objectMetadataAnnotations(copy);
  if (annotations[START_KEY_ANNOTATION] === options.idempotencyKey) {
    return {
      kind: 'nothing',
      message: `${options.describe} was already started with the key "${options.idempotencyKey}"; nothing to do`,
    };
  }
  const previous = typeof container.image === 'string' ? container.image : '';
  const image = imageWithTag(previous, options.version);
  const labelDone =
    !hasVersionLabel || labels[VERSION_LABEL] === options.version;
  if (previous === image && labelDone) {
    return {
      kind: 'nothing',
      message: `container "${names[index]}" of ${options.describe} already is ${image}: it runs ${options.version} or is on its way to it; nothing to do`,
    };
  }
  container.image = image;
  if (hasVersionLabel) labels[VERSION_LABEL] = options.version;
  const meta = copy.metadata as KubeObject;
  meta.annotations = {
    ...annotations,
    [START_KEY_ANNOTATION]: options.idempotencyKey,
  };
  return {
    kind: 'update',
    object: copy,
    message: `set the image of container "${names[index]}" of ${
      options.describe
    } to ${image}${previous ? ` (was ${previous})` : ''}`,
  };
}

function nodeAt(object: KubeObject, path: string): KubeObject | undefined {
  let node: unknown = object;
  for (const key of path.split('/').slice(1)) {
    node = isObject(node) ? node[key] : undefined;
  }
  return isObject(node) ? node : undefined;
}

function objectMetadataAnnotations(
  object: KubeObject,
): Record<string, unknown> {
  if (!isObject(object.metadata)) object.metadata = {};
  const meta = object.metadata as KubeObject;
  return isObject(meta.annotations) ? { ...meta.annotations } : {};
}
