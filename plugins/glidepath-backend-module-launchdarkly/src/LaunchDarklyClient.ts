import type { LdEnvironment, LdFlag, LdFlagStatus } from './mapping';

/** The REST API version every request asks for (`LD-API-Version`). */
export const LD_API_VERSION = '20240415';

/** The semantic-patch content type of LaunchDarkly's flag updates. */
export const SEMANTIC_PATCH =
  'application/json; domain-model=launchdarkly.semanticpatch';

/** How to reach LaunchDarkly's REST API. */
export type LaunchDarklyClientOptions = {
  /** LaunchDarkly's URL, without `/api/v2`. */
  baseUrl: string;
  token: string;
  timeoutMs: number;
};

/** LaunchDarkly refused a request: its status and its own message. */
export class LaunchDarklyRefusal extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'LaunchDarklyRefusal';
  }
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line || '(empty)';
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

const segment = encodeURIComponent;

/**
 * LaunchDarkly's REST API v2, the parts Glidepath uses, at API version
 * 20240415. The token goes in the `Authorization` header as it is (no
 * `Bearer`). Every failure is thrown with a message that names the server
 * and what went wrong: the token refused (401), a right missing (403),
 * rate limited (429, with when to retry), another status with
 * LaunchDarkly's own message, the server unreachable, or the timeout.
 */
export class LaunchDarklyClient {
  readonly #base: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly name: string;

  constructor(options: LaunchDarklyClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs;
    this.name = `LaunchDarkly at ${this.#base}`;
  }

  /**
   * Every environment of a project
   * (`GET /api/v2/projects/{projectKey}/environments`, paged by 100).
   */
  async listEnvironments(
    project: string,
    signal?: AbortSignal,
  ): Promise<LdEnvironment[]> {
    const environments: LdEnvironment[] = [];
    for (;;) {
      const params = new URLSearchParams({
        limit: '100',
        offset: String(environments.length),
      });
      const body = (await this.#request(
        'GET',
        `/api/v2/projects/${segment(project)}/environments?${params}`,
        { signal, what: `list the environments of project ${project}` },
      )) as { items?: LdEnvironment[]; totalCount?: number };
      if (!Array.isArray(body?.items)) {
        throw this.#notLaunchDarkly('the environments list', body);
      }
      environments.push(...body.items);
      const total = body.totalCount ?? environments.length;
      if (body.items.length === 0 || environments.length >= total) {
        return environments;
      }
    }
  }

  /**
   * One page of a project's flags, each with its targeting in
   * `environments` (`GET /api/v2/flags/{projectKey}?summary=0&env=...`).
   */
  async listFlags(options: {
    project: string;
    environments: string[];
    offset: number;
    limit: number;
    signal?: AbortSignal;
  }): Promise<{ items: LdFlag[]; totalCount: number }> {
    const params = new URLSearchParams();
    params.set('summary', '0');
    for (const env of options.environments) params.append('env', env);
    params.set('limit', String(options.limit));
    params.set('offset', String(options.offset));
    const body = (await this.#request(
      'GET',
      `/api/v2/flags/${segment(options.project)}?${params}`,
      {
        signal: options.signal,
        what: `list the flags of project ${options.project}`,
      },
    )) as { items?: LdFlag[]; totalCount?: number };
    if (!Array.isArray(body?.items) || typeof body.totalCount !== 'number') {
      throw this.#notLaunchDarkly('the flags list', body);
    }
    return { items: body.items, totalCount: body.totalCount };
  }

  /**
   * The status of every flag of a project in one environment
   * (`GET /api/v2/flag-statuses/{projectKey}/{environmentKey}`).
   */
  async listFlagStatuses(
    project: string,
    environment: string,
    signal?: AbortSignal,
  ): Promise<LdFlagStatus[]> {
    const body = (await this.#request(
      'GET',
      `/api/v2/flag-statuses/${segment(project)}/${segment(environment)}`,
      {
        signal,
        what: `read the flag statuses of project ${project} in ${environment}`,
      },
    )) as { items?: LdFlagStatus[] };
    if (body?.items !== undefined && !Array.isArray(body.items)) {
      throw this.#notLaunchDarkly('the flag statuses', body);
    }
    return body?.items ?? [];
  }

  /**
   * Archives a flag in every environment with a semantic patch
   * (`PATCH /api/v2/flags/{projectKey}/{flagKey}`, instruction
   * `archiveFlag`), with `comment` for LaunchDarkly's audit log.
   */
  async archiveFlag(options: {
    project: string;
    flagKey: string;
    comment: string;
    signal?: AbortSignal;
  }): Promise<LdFlag | undefined> {
    const { project, flagKey, comment, signal } = options;
    return (await this.#request(
      'PATCH',
      `/api/v2/flags/${segment(project)}/${segment(flagKey)}`,
      {
        signal,
        what: `archive the flag ${flagKey} of project ${project}`,
        body: { comment, instructions: [{ kind: 'archiveFlag' }] },
        contentType: SEMANTIC_PATCH,
      },
    )) as LdFlag | undefined;
  }

  #notLaunchDarkly(what: string, body: unknown): Error {
    return new Error(
      `${
        this.name
      } answered ${what} with something other than LaunchDarkly's API JSON (is glidepath.launchdarkly.baseUrl LaunchDarkly's URL, without /api/v2?): ${excerpt(
        JSON.stringify(body) ?? '',
      )}`,
    );
  }

  async #request(
    method: string,
    path: string,
    options: {
      signal?: AbortSignal;
      what: string;
      body?: unknown;
      contentType?: string;
    },
  ): Promise<unknown> {
    const { signal, what } = options;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          Authorization: this.#token,
          'LD-API-Version': LD_API_VERSION,
          Accept: 'application/json',
          ...(options.contentType && { 'Content-Type': options.contentType }),
        },
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) {
        throw new Error(
          `${this.name} did not answer within ${seconds(
            this.#timeoutMs,
          )} (glidepath.launchdarkly.timeout) when asked to ${what}`,
        );
      }
      if (signal?.aborted) {
        throw new Error(`${this.name}: the request to ${what} was aborted`, {
          cause: signal.reason,
        });
      }
      const cause = (error as { cause?: { message?: string; code?: string } })
        .cause;
      throw new Error(
        `${
          this.name
        } could not be reached (is glidepath.launchdarkly.baseUrl right?): ${
          cause?.message ?? cause?.code ?? (error as Error).message
        }`,
        { cause: error },
      );
    }

    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) {
      if (text && json === undefined) {
        throw this.#notLaunchDarkly(`${method} ${path.split('?')[0]}`, text);
      }
      return json;
    }
    const message =
      typeof (json as { message?: unknown })?.message === 'string'
        ? (json as { message: string }).message
        : excerpt(text);
    const status = `${response.status}${
      response.statusText ? ` ${response.statusText}` : ''
    }`;
    if (response.status === 401) {
      throw new LaunchDarklyRefusal(
        `${this.name} refused the token (glidepath.launchdarkly.token) when asked to ${what}: ${status}: ${message}`,
        401,
      );
    }
    if (response.status === 429) {
      const reset = Number(response.headers.get('X-Ratelimit-Reset'));
      const retryAfter = Number(response.headers.get('Retry-After'));
      let when = '';
      if (reset > 0) when = ` until ${new Date(reset).toISOString()}`;
      else if (retryAfter > 0) when = ` for ${retryAfter} s`;
      throw new LaunchDarklyRefusal(
        `${this.name} rate-limited the request to ${what}${when}: ${status}: ${message}`,
        429,
      );
    }
    throw new LaunchDarklyRefusal(
      `${this.name} refused to ${what}: ${status}: ${message}`,
      response.status,
    );
  }
}
