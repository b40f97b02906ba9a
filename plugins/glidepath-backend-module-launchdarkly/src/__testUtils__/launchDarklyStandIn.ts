/**
 * A stand-in for LaunchDarkly's REST API v2 in tests: an HTTP server on
 * 127.0.0.1 that answers the four operations Glidepath uses with the
 * response shapes of LaunchDarkly's API reference, and checks each request
 * against it (method, path, query, headers, body). A request that breaks
 * the documented contract is answered the way LaunchDarkly documents (401
 * without the token, 400 for a semantic patch without its content type) and
 * recorded in `violations`, which every test expects to stay empty.
 *
 * Where each shape comes from (LaunchDarkly's API reference, read
 * 2026-12-06, and the models generated from its OpenAPI document in
 * github.com/launchdarkly/api-client-php, docs/Model/*.md):
 *
 * - Authentication: the token as the whole `Authorization` header, no
 *   `Bearer` (https://launchdarkly.com/docs/api, "Authentication"); the API
 *   version in `LD-API-Version: 20240415`
 *   (https://launchdarkly.com/docs/guides/api/api-migration-guide). Errors
 *   are `{ code, message }` (UnauthorizedErrorRep, ForbiddenErrorRep,
 *   NotFoundErrorRep, InvalidRequestErrorRep); a 429 carries
 *   `X-Ratelimit-Reset` in Unix milliseconds (docs/api, "Rate limiting").
 * - `GET /api/v2/projects/{projectKey}/environments?limit=&offset=`:
 *   `{ items: Environment[], totalCount, _links }`, Environment with `key`,
 *   `name`, `critical`
 *   (https://launchdarkly.com/docs/api/environments/get-environments-by-project).
 * - `GET /api/v2/flags/{projectKey}?summary=0&env=<key>...&limit=&offset=`:
 *   `{ items: FeatureFlag[], totalCount, _links }`; FeatureFlag with `key`,
 *   `name`, `kind`, `creationDate` (Unix ms), `variations`, `temporary`,
 *   `tags`, `archived`, `deprecated`, `_maintainer` (MemberSummary: `_id`,
 *   `email`, `firstName`, `lastName`, `role`), `_maintainerTeam`, and
 *   `environments` keyed by environment key (FeatureFlagConfig: `on`,
 *   `archived`, `lastModified`, `targets`, `contextTargets`, `rules`,
 *   `fallthrough` as VariationOrRolloutRep `{ variation } | { rollout: {
 *   variations: [{ variation, weight }] } }` with weights in thousandths
 *   of a percent, `offVariation`, `prerequisites`, `_environmentName`,
 *   `_site`). Archived flags are left out unless filtered for
 *   (https://launchdarkly.com/docs/api/feature-flags/get-feature-flags).
 * - `GET /api/v2/flag-statuses/{projectKey}/{environmentKey}`:
 *   `{ items: FlagStatusRep[], _links }`, FlagStatusRep `{ name: new |
 *   active | inactive | launched, lastRequested (ISO 8601, absent when never
 *   requested), default, _links: { parent: { href: /api/v2/flags/{projectKey}/{flagKey} } } }`
 *   (https://launchdarkly.com/docs/api/feature-flags/get-feature-flag-statuses).
 * - `PATCH /api/v2/flags/{projectKey}/{featureFlagKey}` with
 *   `Content-Type: application/json; domain-model=launchdarkly.semanticpatch`
 *   and `{ comment, instructions: [{ kind: "archiveFlag" }] }`: 200 with the
 *   flag; "You cannot archive a flag that is a prerequisite of other flags"
 *   (https://launchdarkly.com/docs/api/feature-flags/update-feature-flag,
 *   "instructions for updating the flag lifecycle").
 *
 * What LaunchDarkly answers with exactly, beyond these shapes (the words of
 * its error messages, its order of flags, its paging of statuses), is not
 * known here: the stand-in's messages are its own.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  LdEnvironment,
  LdFlag,
  LdFlagConfig,
  LdFlagStatus,
} from '../mapping';

export const LD_TEST_TOKEN = 'api-00000000-1111-2222-3333-444444444444';
export const LD_READER_TOKEN = 'api-reader-5555-6666';

/** One request as the stand-in received it. */
export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: http.IncomingHttpHeaders;
  body?: unknown;
};

/** A project as the stand-in serves it. */
export type StandInProject = {
  environments: LdEnvironment[];
  /** Every flag, with its config in every environment. */
  flags: LdFlag[];
  /** Status per environment key, then per flag key. */
  statuses: Record<string, Record<string, Omit<LdFlagStatus, '_links'>>>;
};

export interface LaunchDarklyStandIn {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests that broke the documented contract; expected to stay empty. */
  readonly violations: string[];
  projects: Record<string, StandInProject>;
  /** The next requests (any) are answered with this, once each. */
  failNext(answer: {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  }): void;
  stop(): Promise<void>;
}

function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function withEnvironments(
  flag: LdFlag,
  project: string,
  envs: string[],
): LdFlag {
  const environments: Record<string, LdFlagConfig> = {};
  for (const env of envs) {
    const config = flag.environments?.[env];
    if (config) {
      environments[env] = {
        ...config,
        _site: {
          href: `/${project}/${env}/features/${flag.key}`,
          type: 'text/html',
        },
      } as LdFlagConfig;
    }
  }
  return {
    ...flag,
    _links: {
      self: {
        href: `/api/v2/flags/${project}/${flag.key}`,
        type: 'application/json',
      },
    },
    environments,
  } as LdFlag;
}

export async function startLaunchDarklyStandIn(
  projects: Record<string, StandInProject>,
): Promise<LaunchDarklyStandIn> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const failures: Array<{
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  }> = [];
  const state = { projects };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://stand-in');
      const query: Record<string, string[]> = {};
      for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const recorded: RecordedRequest = {
        method: req.method!,
        path: url.pathname,
        query,
        headers: req.headers,
        ...(body !== undefined && { body }),
      };
      requests.push(recorded);
      const violate = (problem: string) =>
        violations.push(`${req.method} ${req.url}: ${problem}`);

      const failure = failures.shift();
      if (failure) {
        return json(res, failure.status, failure.body, failure.headers);
      }

      const auth = req.headers.authorization;
      if (auth !== LD_TEST_TOKEN && auth !== LD_READER_TOKEN) {
        if (auth?.startsWith('Bearer ')) {
          violate('Authorization must be the token itself, without Bearer');
        }
        return json(res, 401, {
          code: 'unauthorized',
          message: 'Invalid access token',
        });
      }
      if (req.headers['ld-api-version'] !== '20240415') {
        violate(
          `LD-API-Version is ${req.headers['ld-api-version']}, not 20240415`,
        );
      }

      const parts = url.pathname
        .split('/')
        .filter(Boolean)
        .map(decodeURIComponent);
      const intParam = (name: string, fallback: number) => {
        const raw = url.searchParams.get(name);
        if (raw === null) return fallback;
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 0)
          violate(`${name}=${raw} is not a whole number`);
        return n;
      };
      const notFound = (what: string) =>
        json(res, 404, { code: 'not_found', message: `Unknown ${what}` });

      // GET /api/v2/projects/{projectKey}/environments
      if (
        req.method === 'GET' &&
        parts.length === 5 &&
        parts[2] === 'projects' &&
        parts[4] === 'environments'
      ) {
        const project = state.projects[parts[3]];
        if (!project) return notFound('project key');
        const limit = intParam('limit', 20);
        const offset = intParam('offset', 0);
        if (limit > 100) violate(`limit=${limit} is above the maximum of 100`);
        const items = project.environments.slice(offset, offset + limit);
        return json(res, 200, {
          items: items.map(e => ({
            _links: {
              self: {
                href: `/api/v2/projects/${parts[3]}/environments/${e.key}`,
              },
            },
            _id: `env-${e.key}`,
            ...e,
            critical: e.critical ?? false,
            tags: [],
          })),
          totalCount: project.environments.length,
          _links: { self: { href: url.pathname + url.search } },
        });
      }

      // GET /api/v2/flags/{projectKey}
      if (req.method === 'GET' && parts.length === 4 && parts[2] === 'flags') {
        const project = state.projects[parts[3]];
        if (!project) return notFound('project key');
        if (url.searchParams.get('summary') !== '0') {
          violate('summary=0 is needed for targets, rules and prerequisites');
        }
        const envs = url.searchParams.getAll('env');
        for (const env of envs) {
          if (!project.environments.some(e => e.key === env)) {
            violate(`env=${env} is not an environment of the project`);
          }
        }
        const limit = intParam('limit', 20);
        const offset = intParam('offset', 0);
        if (limit > 100) violate(`limit=${limit} is above the maximum of 100`);
        const live = project.flags.filter(f => !f.archived);
        const items = live
          .slice(offset, offset + limit)
          .map(f => withEnvironments(f, parts[3], envs));
        const next =
          offset + limit < live.length
            ? {
                next: {
                  href: `${url.pathname}?limit=${limit}&offset=${
                    offset + limit
                  }`,
                },
              }
            : {};
        return json(res, 200, {
          items,
          totalCount: live.length,
          _links: { self: { href: url.pathname + url.search }, ...next },
        });
      }

      // GET /api/v2/flag-statuses/{projectKey}/{environmentKey}
      if (
        req.method === 'GET' &&
        parts.length === 5 &&
        parts[2] === 'flag-statuses'
      ) {
        const project = state.projects[parts[3]];
        if (!project) return notFound('project key');
        if (!project.environments.some(e => e.key === parts[4])) {
          return notFound('environment key');
        }
        const statuses = project.statuses[parts[4]] ?? {};
        return json(res, 200, {
          items: Object.entries(statuses).map(([flagKey, status]) => ({
            ...status,
            _links: {
              parent: {
                href: `/api/v2/flags/${parts[3]}/${flagKey}`,
                type: 'application/json',
              },
              self: {
                href: `/api/v2/flag-statuses/${parts[3]}/${parts[4]}/${flagKey}`,
                type: 'application/json',
              },
            },
          })),
          _links: { self: { href: url.pathname } },
        });
      }

      // PATCH /api/v2/flags/{projectKey}/{featureFlagKey}
      if (
        req.method === 'PATCH' &&
        parts.length === 5 &&
        parts[2] === 'flags'
      ) {
        const type = req.headers['content-type'] ?? '';
        if (
          !/^application\/json;\s*domain-model=launchdarkly\.semanticpatch$/.test(
            type,
          )
        ) {
          violate(`Content-Type ${type} is not a semantic patch`);
          return json(res, 400, {
            code: 'invalid_request',
            message: 'Invalid JSON patch',
          });
        }
        const patch = body as { comment?: unknown; instructions?: unknown };
        if (
          !Array.isArray(patch?.instructions) ||
          patch.instructions.length === 0 ||
          patch.instructions.some(i => typeof i?.kind !== 'string')
        ) {
          violate('a semantic patch needs instructions, each with a kind');
          return json(res, 400, {
            code: 'invalid_request',
            message: 'instructions are required',
          });
        }
        if (patch.comment !== undefined && typeof patch.comment !== 'string') {
          violate('comment must be a string');
        }
        const project = state.projects[parts[3]];
        if (!project) return notFound('project key');
        const flag = project.flags.find(f => f.key === parts[4]);
        if (!flag) return notFound('feature flag key');
        if (req.headers.authorization === LD_READER_TOKEN) {
          return json(res, 403, {
            code: 'forbidden',
            message: 'Access to the requested resource was denied',
          });
        }
        for (const instruction of patch.instructions as Array<{
          kind: string;
        }>) {
          if (instruction.kind !== 'archiveFlag') {
            violate(
              `the stand-in knows only archiveFlag, got ${instruction.kind}`,
            );
            continue;
          }
          const dependents = project.flags.filter(
            other =>
              !other.archived &&
              Object.values(other.environments ?? {}).some(c =>
                (c.prerequisites ?? []).some(p => p.key === flag.key),
              ),
          );
          if (dependents.length > 0) {
            return json(res, 400, {
              code: 'invalid_request',
              message: `Cannot archive a flag that is a prerequisite of other flags: ${dependents
                .map(d => d.key)
                .join(', ')}`,
            });
          }
          flag.archived = true;
        }
        return json(res, 200, withEnvironments(flag, parts[3], []));
      }

      violate('not an operation Glidepath is expected to call');
      return notFound('resource');
    });
  });

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    get projects() {
      return state.projects;
    },
    set projects(value) {
      state.projects = value;
    },
    failNext(answer) {
      failures.push(answer);
    },
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
