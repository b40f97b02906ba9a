import {
  providerRefusal,
  requestProvider,
  textExcerpt,
  type ProviderEndpoint,
} from '@glidepath/backstage-plugin-node';
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

/**
 * Unleash's Admin API, the parts Glidepath uses. Every failure is thrown
 * with a message that names the server and what went wrong
 * (`requestProvider` and `providerRefusal` of -node): the token refused
 * (401), a refusal with its status and Unleash's message (a
 * `ProviderRefusal`), the server unreachable, the timeout, or an answer
 * that is not Unleash's JSON.
 */
export class UnleashClient {
  readonly #base: string;
  readonly #token: string;
  readonly #endpoint: ProviderEndpoint;

  constructor(options: UnleashClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#endpoint = {
      name: `Unleash at ${this.#base}`,
      baseUrlKey: 'glidepath.unleash.baseUrl',
      timeoutKey: 'glidepath.unleash.timeout',
      tokenKey: 'glidepath.unleash.token',
      timeoutMs: options.timeoutMs,
    };
  }

  /** `Unleash at <url>`, for messages. */
  get name(): string {
    return this.#endpoint.name;
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
      } answered ${request} with something other than Unleash's API JSON (is glidepath.unleash.baseUrl Unleash's URL, without /api?): ${textExcerpt(
        text,
      )}`,
    );
  }

  async #request(
    method: string,
    path: string,
    options: { signal?: AbortSignal; what: string },
  ): Promise<unknown> {
    const answer = await requestProvider(this.#endpoint, {
      url: `${this.#base}${path}`,
      method,
      headers: { Authorization: this.#token, Accept: 'application/json' },
      signal: options.signal,
      what: options.what,
    });
    if (answer.status < 200 || answer.status >= 300) {
      throw providerRefusal(this.#endpoint, answer, options.what);
    }
    if (answer.text && answer.json === undefined) {
      throw this.#notUnleash(`${method} ${path.split('?')[0]}`, answer.text);
    }
    return answer.json;
  }
}
