import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../objects';

/** A request the fake API server received. */
export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
};

/** An answer forced by a test, instead of the fake's own. */
export type ForcedAnswer = { status: number; body: unknown } | undefined;

const KINDS: Record<string, { group: string; version: string }> = {
  rollouts: { group: 'argoproj.io', version: 'v1alpha1' },
  analysisruns: { group: 'argoproj.io', version: 'v1alpha1' },
  experiments: { group: 'argoproj.io', version: 'v1alpha1' },
  replicasets: { group: 'apps', version: 'v1' },
  deployments: { group: 'apps', version: 'v1' },
};

function statusObject(status: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason,
    message,
    code: status,
  };
}

function matchesSelector(labels: Record<string, string>, selector: string) {
  return selector
    .split(',')
    .filter(Boolean)
    .every(term => {
      const [key, value] = term.split('=');
      return value === undefined ? key in labels : labels[key] === value;
    });
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return patch;
  }
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The `replace` operations of RFC 6902, which is all an undo sends. */
function jsonPatch(target: KubeObject, operations: unknown): KubeObject {
  const copy = structuredClone(target);
  for (const operation of operations as Array<{
    op: string;
    path: string;
    value: unknown;
  }>) {
    if (operation.op !== 'replace')
      throw new Error(`unsupported op ${operation.op}`);
    const keys = operation.path.split('/').slice(1);
    let node: any = copy;
    for (const key of keys.slice(0, -1)) node = node[key];
    if (!(keys[keys.length - 1] in node))
      throw new Error(`no ${operation.path}`);
    node[keys[keys.length - 1]] = operation.value;
  }
  return copy;
}

/**
 * A local HTTP server that speaks the Kubernetes REST paths Glidepath uses:
 * lists across namespaces and in one (with labelSelector, limit/continue and
 * a resourceVersion), one object, merge and JSON patches of an object
 * and of the Rollout status subresource, and updates (PUT) of an object,
 * refused with 409 when sent with another resourceVersion than it has. It
 * holds the objects it was given and applies writes to them. It is not
 * Kubernetes: no admission, no validation against the CRD schema, no
 * controller acting on what is written.
 */
export async function startFakeKubernetes(options: {
  objects: KubeObject[];
  token?: string;
  /** Answers a test forces; undefined lets the fake answer. */
  answer?: (request: RecordedRequest) => ForcedAnswer;
  /** False serves Rollouts without status subresource (v0.9). */
  statusSubresource?: boolean;
}) {
  const store = new Map<string, KubeObject>();
  let resourceVersion = 1000;
  const keyOf = (kind: string, ns: string, name: string) =>
    `${kind}/${ns}/${name}`;
  const add = (object: KubeObject) => {
    const kind = `${String(object.kind).toLowerCase()}s`;
    const meta = object.metadata as Record<string, string>;
    store.set(keyOf(kind, meta.namespace, meta.name), structuredClone(object));
  };
  options.objects.forEach(add);

  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      text += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(request);
      const send = (status: number, body: unknown) => {
        res.statusCode = status;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(body));
      };
      if (
        options.token &&
        request.authorization !== `Bearer ${options.token}`
      ) {
        send(401, statusObject(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
      const forced = options.answer?.(request);
      if (forced) {
        send(forced.status, forced.body);
        return;
      }
      const match =
        /^\/apis\/([^/]+)\/([^/]+)\/(?:namespaces\/([^/]+)\/)?([a-z]+)(?:\/([^/]+))?(?:\/(status))?$/.exec(
          url.pathname,
        );
      const kind = match?.[4];
      if (!match || !kind || !KINDS[kind] || KINDS[kind].group !== match[1]) {
        send(
          404,
          statusObject(
            404,
            'NotFound',
            `the server could not find the requested resource`,
          ),
        );
        return;
      }
      const [, , , namespace, , name, subresource] = match;
      if (request.method === 'GET' && !name) {
        const selector = request.query.labelSelector ?? '';
        const all = [...store.entries()]
          .filter(([key]) => key.startsWith(`${kind}/`))
          .map(([, object]) => object)
          .filter(
            o => !namespace || (o.metadata as any).namespace === namespace,
          )
          .filter(o =>
            matchesSelector((o.metadata as any).labels ?? {}, selector),
          );
        const limit = Number(request.query.limit ?? all.length) || all.length;
        const offset = Number(request.query.continue ?? 0);
        const page = all.slice(offset, offset + limit);
        const next =
          offset + limit < all.length ? String(offset + limit) : undefined;
        send(200, {
          kind: 'List',
          apiVersion: 'v1',
          metadata: {
            resourceVersion: String(resourceVersion),
            ...(next && { continue: next }),
          },
          items: page,
        });
        return;
      }
      const key = keyOf(kind, namespace ?? '', name ?? '');
      const object = store.get(key);
      if (!object) {
        send(404, statusObject(404, 'NotFound', `${kind} "${name}" not found`));
        return;
      }
      if (request.method === 'GET' && !subresource) {
        send(200, object);
        return;
      }
      if (request.method === 'PATCH') {
        if (subresource === 'status' && options.statusSubresource === false) {
          send(
            404,
            statusObject(
              404,
              'NotFound',
              'the server could not find the requested resource',
            ),
          );
          return;
        }
        let patched: KubeObject;
        try {
          if (request.contentType === 'application/merge-patch+json') {
            const body = request.body as Record<string, unknown>;
            // The status subresource takes status only; the main resource
            // ignores status when the subresource exists.
            let part: unknown = body;
            if (subresource === 'status') part = { status: body.status };
            else if (
              options.statusSubresource !== false &&
              kind === 'rollouts'
            ) {
              part = { ...body, status: undefined };
            }
            patched = mergePatch(
              object,
              JSON.parse(JSON.stringify(part)),
            ) as KubeObject;
          } else if (request.contentType === 'application/json-patch+json') {
            patched = jsonPatch(object, request.body);
          } else {
            send(
              415,
              statusObject(
                415,
                'UnsupportedMediaType',
                `unsupported ${request.contentType}`,
              ),
            );
            return;
          }
        } catch (error) {
          send(422, statusObject(422, 'Invalid', error.message));
          return;
        }
        resourceVersion += 1;
        (patched.metadata as any).resourceVersion = String(resourceVersion);
        store.set(key, patched);
        send(200, patched);
        return;
      }
      if (request.method === 'PUT' && !subresource) {
        // An update: the whole object, refused when it was read at another
        // resourceVersion (optimistic concurrency).
        if (request.contentType !== 'application/json') {
          send(
            415,
            statusObject(
              415,
              'UnsupportedMediaType',
              `unsupported ${request.contentType}`,
            ),
          );
          return;
        }
        const body = request.body as KubeObject;
        const sent = (body?.metadata as any)?.resourceVersion;
        const stored = (object.metadata as any).resourceVersion;
        if (sent !== stored) {
          send(
            409,
            statusObject(
              409,
              'Conflict',
              `Operation cannot be fulfilled on ${kind}.${KINDS[kind].group} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
            ),
          );
          return;
        }
        const updated = structuredClone(body);
        // The main resource ignores status when the subresource exists.
        if (options.statusSubresource !== false && kind === 'rollouts') {
          updated.status = object.status;
        }
        resourceVersion += 1;
        (updated.metadata as any).resourceVersion = String(resourceVersion);
        store.set(key, updated);
        send(200, updated);
        return;
      }
      send(405, statusObject(405, 'MethodNotAllowed', 'method not allowed'));
    });
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** The object as it is now, after any patches. */
    object(kind: string, namespace: string, name: string) {
      return store.get(keyOf(kind, namespace, name));
    },
    put: add,
    /** Deletes an object, as the controller prunes an old ReplicaSet. */
    remove(kind: string, namespace: string, name: string) {
      store.delete(keyOf(kind, namespace, name));
    },
    /** Counts what the server would see as a change. */
    bumpResourceVersion() {
      resourceVersion += 1;
    },
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
