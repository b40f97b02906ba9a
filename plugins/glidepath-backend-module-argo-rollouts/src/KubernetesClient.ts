import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import type { ClusterConfig } from './config';

/** An answer of the API server that is not a success. @public */
export class KubernetesApiError extends Error {
  readonly status: number;
  /** The Status object's reason: NotFound, Forbidden, Conflict, ... */
  readonly reason: string | null;
  readonly method: string;
  readonly path: string;
  constructor(options: {
    status: number;
    reason: string | null;
    message: string;
    method: string;
    path: string;
  }) {
    super(options.message);
    this.name = 'KubernetesApiError';
    this.status = options.status;
    this.reason = options.reason;
    this.method = options.method;
    this.path = options.path;
  }
}

/** A request to the API server. @public */
export type KubernetesRequest = {
  /** PUT replaces the object (an update, as `kubectl argo rollouts set image`). */
  method: 'GET' | 'PATCH' | 'PUT';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?:
    | 'application/json'
    | 'application/merge-patch+json'
    | 'application/json-patch+json'
    | 'application/strategic-merge-patch+json';
  signal?: AbortSignal;
};

/** A list read whole, over as many pages as it takes. @public */
export type KubernetesList = {
  items: unknown[];
  resourceVersion: string | null;
};

const TOKEN_FILE_REREAD_MS = 60_000;

/**
 * A small client for the Kubernetes REST API over `node:https`: the bearer
 * token or client certificate of the cluster's config, its CA, and TLS
 * verification that is off only when `skipTLSVerify: true` is set. Errors
 * are thrown as {@link KubernetesApiError} with the API server's Status
 * message, or as an Error naming the cluster when it cannot be reached.
 * @public
 */
export class KubernetesClient {
  readonly cluster: ClusterConfig;
  readonly #timeoutMs: number;
  readonly #agent: http.Agent;
  readonly #readFile: (path: string) => string;
  #token: { value: string; readAt: number } | null = null;

  constructor(options: {
    cluster: ClusterConfig;
    timeoutMs: number;
    readFile?: (path: string) => string;
  }) {
    this.cluster = options.cluster;
    this.#timeoutMs = options.timeoutMs;
    this.#readFile = options.readFile ?? (p => fs.readFileSync(p, 'utf8'));
    const { credentials, caData, skipTLSVerify } = options.cluster;
    this.#agent = options.cluster.url.startsWith('https:')
      ? new https.Agent({
          keepAlive: true,
          maxSockets: 4,
          ...(caData && { ca: caData }),
          ...(credentials.type === 'clientCertificate' && {
            cert: credentials.cert,
            key: credentials.key,
          }),
          // Verification is off only when the config says skipTLSVerify: true.
          rejectUnauthorized: skipTLSVerify !== true,
        })
      : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  #authorization(): string | undefined {
    const { credentials } = this.cluster;
    if (credentials.type === 'token') return `Bearer ${credentials.token}`;
    if (credentials.type !== 'tokenFile') return undefined;
    // Projected service account tokens are rotated by the kubelet: read the
    // file again every minute, as client-go does.
    const now = Date.now();
    if (!this.#token || now - this.#token.readAt > TOKEN_FILE_REREAD_MS) {
      this.#token = {
        value: this.#readFile(credentials.path).trim(),
        readAt: now,
      };
    }
    return `Bearer ${this.#token.value}`;
  }

  /** Sends one request and returns the parsed JSON answer. */
  request(request: KubernetesRequest): Promise<unknown> {
    const url = new URL(this.cluster.url + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const body =
      request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: http.OutgoingHttpHeaders = { Accept: 'application/json' };
    const authorization = this.#authorization();
    if (authorization) headers.Authorization = authorization;
    if (body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const transport = url.protocol === 'https:' ? https : http;
    const where = `cluster "${this.cluster.name}" (${this.cluster.url})`;

    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: request.method,
          headers,
          agent: this.#agent,
          timeout: this.#timeoutMs,
          signal: request.signal,
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              if (parsed === undefined) {
                reject(
                  new Error(
                    `The API server of ${where} answered ${request.method} ${
                      url.pathname
                    } with something that is not JSON: ${text.slice(0, 200)}`,
                  ),
                );
                return;
              }
              resolve(parsed);
              return;
            }
            const statusObject =
              parsed && typeof parsed === 'object'
                ? (parsed as Record<string, unknown>)
                : {};
            reject(
              new KubernetesApiError({
                status,
                reason:
                  typeof statusObject.reason === 'string'
                    ? statusObject.reason
                    : null,
                message:
                  typeof statusObject.message === 'string'
                    ? statusObject.message
                    : `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
                method: request.method,
                path: url.pathname,
              }),
            );
          });
        },
      );
      req.on('timeout', () => {
        req.destroy(
          new Error(
            `The API server of ${where} did not answer ${request.method} ${
              url.pathname
            } within ${this.#timeoutMs} ms`,
          ),
        );
      });
      req.on('error', error => {
        if (error.message.startsWith('The API server')) reject(error);
        else if (error.name === 'AbortError') reject(error);
        else {
          reject(
            new Error(
              `Glidepath could not reach the API server of ${where}: ${error.message}`,
            ),
          );
        }
      });
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /**
   * Reads a whole list, following `continue` tokens. With a
   * `resourceVersion`, the list is served from the API server's watch cache
   * and is never older than that version (`resourceVersionMatch=NotOlderThan`),
   * which costs etcd nothing and never goes back in time between API server
   * replicas.
   */
  async list(
    path: string,
    options: {
      labelSelector?: string;
      resourceVersion?: string | null;
      pageSize?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<KubernetesList> {
    const items: unknown[] = [];
    let continueToken: string | undefined;
    let resourceVersion: string | null = null;
    do {
      const page = (await this.request({
        method: 'GET',
        path,
        signal: options.signal,
        query: {
          labelSelector: options.labelSelector,
          limit: String(options.pageSize ?? 500),
          continue: continueToken,
          // A continued list keeps the version of its first page.
          ...(!continueToken &&
            options.resourceVersion && {
              resourceVersion: options.resourceVersion,
              resourceVersionMatch: 'NotOlderThan',
            }),
        },
      })) as { items?: unknown; metadata?: Record<string, unknown> };
      if (!page || !Array.isArray(page.items)) {
        throw new Error(
          `The API server of cluster "${this.cluster.name}" answered GET ${path} with something that is not a list`,
        );
      }
      items.push(...page.items);
      const metadata = page.metadata ?? {};
      if (!continueToken && typeof metadata.resourceVersion === 'string') {
        resourceVersion = metadata.resourceVersion;
      }
      continueToken =
        typeof metadata.continue === 'string' && metadata.continue
          ? metadata.continue
          : undefined;
    } while (continueToken);
    return { items, resourceVersion };
  }

  /** Closes idle connections. */
  close(): void {
    this.#agent.destroy();
  }
}
