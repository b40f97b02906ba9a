import type { UnleashSearchFeature } from './mapping';

/** How to reach Unleash's Admin API. */
export type UnleashClientOptions = {
  /** Unleash's URL, without `/api`. */
  baseUrl: string;
  token: string;
  timeoutMs: number;
};

/** One page of `GET /api/admin/search/features`. */
export type UnleashSearchPage = {
  features: UnleashSearchFeature[];
  /** How many flags match in all. */
  total: number;
};

/** Unleash refused a request: its status and its own message. */
export class UnleashRefusal extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'UnleashRefusal';
  }
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line || '(empty)';
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Unleash's Admin API, the parts Glidepath uses. Every failure is thrown
 * with a message that names the server and what went wrong: the token
 * refused (401), a right missing (403, with Unleash's message), another
 * status with Unleash's message, the server unreachable, the timeout, or an
 * answer that is not Unleash's JSON.
 */
export class UnleashClient {
  readonly #base: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly name: string;

  constructor(options: UnleashClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs;
    this.name = `Unleash at ${this.#base}`;
  }

  /** The projects' ids (`GET /api/admin/projects`). */
  async listProjects(signal?: AbortSignal): Promise<string[]> {
    const body = (await this.#request('GET', '/api/admin/projects', {
      signal,
      what: 'list its projects',
    })) as { projects?: Array<{ id?: unknown }> } | undefined;
    if (!Array.isArray(body?.projects)) {
      throw this.#notUnleash('GET /api/admin/projects', JSON.stringify(body));
    }
    return body!.projects.map(p => String(p.id));
  }

  /**
   * One page of the active (not archived) flags of `projects`, sorted by
   * name (`GET /api/admin/search/features`; Unleash allows at most 100 per
   * page).
   */
  async searchFeatures(options: {
    projects: string[];
    offset: number;
    limit: number;
    signal?: AbortSignal;
  }): Promise<UnleashSearchPage> {
    const params = new URLSearchParams({
      project: `IS_ANY_OF:${options.projects.join(',')}`,
      archived: 'IS:false',
      sortBy: 'name',
      sortOrder: 'asc',
      offset: String(options.offset),
      limit: String(options.limit),
    });
    const path = `/api/admin/search/features?${params}`;
    const body = (await this.#request('GET', path, {
      signal: options.signal,
      what: 'search its flags',
    })) as Partial<UnleashSearchPage> | undefined;
    if (!Array.isArray(body?.features) || typeof body?.total !== 'number') {
      throw this.#notUnleash(
        'GET /api/admin/search/features',
        JSON.stringify(body),
      );
    }
    return { features: body.features, total: body.total };
  }

  /**
   * Archives a flag (`DELETE /api/admin/projects/{project}/features/{name}`,
   * which archives in Unleash: the flag can be revived from the archive).
   */
  async archiveFeature(
    project: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.#request(
      'DELETE',
      `/api/admin/projects/${encodeURIComponent(
        project,
      )}/features/${encodeURIComponent(name)}`,
      { signal, what: `archive the flag ${name} of project ${project}` },
    );
  }

  #notUnleash(request: string, text: string): Error {
    return new Error(
      `${
        this.name
      } answered ${request} with something other than Unleash's API JSON (is glidepath.unleash.baseUrl Unleash's URL, without /api?): ${excerpt(
        text,
      )}`,
    );
  }

  async #request(
    method: string,
    path: string,
    options: { signal?: AbortSignal; what: string },
  ): Promise<unknown> {
    const { signal, what } = options;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: { Authorization: this.#token, Accept: 'application/json' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) {
        throw new Error(
          `${this.name} did not answer within ${seconds(
            this.#timeoutMs,
          )} (glidepath.unleash.timeout) when asked to ${what}`,
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
        } could not be reached (is glidepath.unleash.baseUrl right?): ${
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
        throw this.#notUnleash(`${method} ${path.split('?')[0]}`, text);
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
      throw new UnleashRefusal(
        `${this.name} refused the token (glidepath.unleash.token) when asked to ${what}: ${status}: ${message}`,
        401,
      );
    }
    if (response.status === 403) {
      throw new UnleashRefusal(
        `${this.name} refused to ${what}: ${status}: ${message}`,
        403,
      );
    }
    throw new UnleashRefusal(
      `${this.name} answered ${status} when asked to ${what}: ${message}`,
      response.status,
    );
  }
}
