import {
  providerRefusal,
  requestProvider,
  textExcerpt,
  type ProviderEndpoint,
} from '@glidepath/backstage-plugin-node';
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

const segment = encodeURIComponent;

/**
 * LaunchDarkly's REST API v2, the parts Glidepath uses, at API version
 * 20240415. The token goes in the `Authorization` header as it is (no
 * `Bearer`). Every failure is thrown with a message that names the server
 * and what went wrong (`requestProvider` and `providerRefusal` of -node):
 * the token refused (401), rate limited (429, until `X-Ratelimit-Reset`),
 * another refusal with its status and LaunchDarkly's own message (a
 * `ProviderRefusal`), the server unreachable, or the timeout.
 */
export class LaunchDarklyClient {
  readonly #base: string;
  readonly #token: string;
  readonly #endpoint: ProviderEndpoint;

  constructor(options: LaunchDarklyClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#endpoint = {
      name: `LaunchDarkly at ${this.#base}`,
      baseUrlKey: 'glidepath.launchdarkly.baseUrl',
      timeoutKey: 'glidepath.launchdarkly.timeout',
      tokenKey: 'glidepath.launchdarkly.token',
      timeoutMs: options.timeoutMs,
    };
  }

  /** `LaunchDarkly at <url>`, for messages. */
  get name(): string {
    return this.#endpoint.name;
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
      } answered ${what} with something other than LaunchDarkly's API JSON (is glidepath.launchdarkly.baseUrl LaunchDarkly's URL, without /api/v2?): ${textExcerpt(
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
    const { what } = options;
    const answer = await requestProvider(this.#endpoint, {
      url: `${this.#base}${path}`,
      method,
      headers: {
        Authorization: this.#token,
        'LD-API-Version': LD_API_VERSION,
        Accept: 'application/json',
        ...(options.contentType && { 'Content-Type': options.contentType }),
      },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      what,
    });
    if (answer.status < 200 || answer.status >= 300) {
      // LaunchDarkly says when a rate limit resets in Unix milliseconds.
      throw providerRefusal(this.#endpoint, answer, what, {
        retryAt: headers => {
          const reset = Number(headers.get('X-Ratelimit-Reset'));
          return reset > 0 ? new Date(reset) : undefined;
        },
      });
    }
    if (answer.text && answer.json === undefined) {
      throw this.#notLaunchDarkly(
        `${method} ${path.split('?')[0]}`,
        answer.text,
      );
    }
    return answer.json;
  }
}
