import {
  ProviderRefusal,
  type FlagArchiveRequest,
  type FlagArchiveResult,
  type FlagListRequest,
  type FlagPage,
  type FlagProvider,
  type ObservedFlags,
} from '@glidepath/backstage-plugin-node';
import type { LaunchDarklyConfig } from './config';
import { LaunchDarklyClient } from './LaunchDarklyClient';
import {
  mapLaunchDarklyFlag,
  statusFlagKey,
  type LdEnvironment,
  type LdFlagStatus,
} from './mapping';
import { parseLaunchDarklyRef, type LaunchDarklyTarget } from './ref';

/** At most this many flags a page (LaunchDarkly's maximum `limit`). */
export const LAUNCHDARKLY_MAX_PAGE_SIZE = 100;
/** How long a project's environments and flag statuses are reused. */
const REUSE_MS = 60_000;

type Cursor = { project: number; offset: number; total: number };

function readCursor(cursor: string): Cursor {
  const match = /^(\d+):(\d+):(\d+)$/.exec(cursor);
  if (!match) {
    throw new Error(
      `"${cursor}" is not a cursor the LaunchDarkly provider gave (expected <project>:<offset>:<total>)`,
    );
  }
  return {
    project: Number(match[1]),
    offset: Number(match[2]),
    total: Number(match[3]),
  };
}

type Readable = { entityRef: string; ref: string; target: LaunchDarklyTarget };

/**
 * Glidepath's `launchdarkly` flag provider: an entity's flags are those of
 * the LaunchDarkly project its annotation names
 * (`launchdarkly:<projectKey>`), optionally only those with one of the given
 * tags (`launchdarkly:web-app?tags=checkout`).
 *
 * A listing reads the targets' projects one after the other, page by page
 * (`GET /api/v2/flags/{projectKey}` with every environment's targeting), and
 * each flag's status and last request per environment from
 * `GET /api/v2/flag-statuses/{projectKey}/{environmentKey}` (read once a
 * minute per project and environment). Each page carries the targets of one
 * project with their flags on that page.
 * @public
 */
export class LaunchDarklyFlagProvider implements FlagProvider {
  /** The id in `glidepath.dev/flags: launchdarkly:<ref>`. */
  readonly id = 'launchdarkly';
  readonly #client: LaunchDarklyClient;
  readonly #config: LaunchDarklyConfig;
  readonly #environments = new Map<
    string,
    { at: number; value: Promise<LdEnvironment[]> }
  >();
  readonly #statuses = new Map<
    string,
    { at: number; value: Promise<Map<string, LdFlagStatus>> }
  >();

  constructor(config: LaunchDarklyConfig) {
    this.#config = config;
    this.#client = new LaunchDarklyClient(config);
  }

  /** Reads one page of the flags of many targets' projects. */
  async listFlags(request: FlagListRequest): Promise<FlagPage> {
    const { targets, signal } = request;
    const errors: ObservedFlags[] = [];
    const readable: Readable[] = [];
    for (const { entityRef, ref } of targets) {
      const target = parseLaunchDarklyRef(ref);
      if (typeof target === 'string') {
        errors.push({
          entityRef,
          ref,
          error: `launchdarkly:${ref}: ${target}`,
        });
      } else {
        readable.push({ entityRef, ref, target });
      }
    }
    const projects = [...new Set(readable.map(r => r.target.project))].sort();
    if (projects.length === 0) return { items: errors };

    const cursor = request.cursor
      ? readCursor(request.cursor)
      : { project: 0, offset: 0, total: 0 };
    const project = projects[cursor.project];
    if (project === undefined) {
      throw new Error(
        `"${request.cursor}" is not a cursor of this listing: it has ${projects.length} projects`,
      );
    }
    const here = readable.filter(r => r.target.project === project);
    const nextProject =
      cursor.project + 1 < projects.length
        ? `${cursor.project + 1}:0:0`
        : undefined;

    let environments: LdEnvironment[];
    try {
      environments = await this.#projectEnvironments(project, signal);
    } catch (error) {
      if (error instanceof ProviderRefusal && error.status === 404) {
        return {
          items: [
            ...errors,
            ...here.map(({ entityRef, ref }) => ({
              entityRef,
              ref,
              error: `${this.#client.name} has no project "${project}"`,
            })),
          ],
          ...(nextProject && { nextCursor: nextProject }),
        };
      }
      throw error;
    }

    const limit = Math.min(
      LAUNCHDARKLY_MAX_PAGE_SIZE,
      Math.max(1, Math.floor(request.pageSize)),
    );
    const page = await this.#client.listFlags({
      project,
      environments: environments.map(e => e.key),
      offset: cursor.offset,
      limit,
      signal,
    });
    if (
      cursor.offset > 0 &&
      (page.totalCount !== cursor.total ||
        (page.items.length === 0 && cursor.offset < page.totalCount))
    ) {
      throw new Error(
        `The flags of project ${project} in ${
          this.#client.name
        } changed while Glidepath read them page by page (${
          cursor.total
        } flags, then ${
          page.totalCount
        }): the listing is incomplete and is read again on the next run`,
      );
    }

    const statuses = await Promise.all(
      environments.map(
        async e =>
          [e.key, await this.#flagStatuses(project, e.key, signal)] as const,
      ),
    );
    const flags = page.items.map(flag =>
      mapLaunchDarklyFlag({
        flag,
        project,
        environments,
        statuses: new Map(
          statuses.flatMap(([env, byFlag]) => {
            const status = byFlag.get(flag.key);
            return status ? [[env, status] as const] : [];
          }),
        ),
        baseUrl: this.#config.baseUrl,
      }),
    );

    const next = cursor.offset + page.items.length;
    const nextCursor =
      page.items.length > 0 && next < page.totalCount
        ? `${cursor.project}:${next}:${page.totalCount}`
        : nextProject;
    return {
      items: [
        ...errors,
        ...here.map(({ entityRef, ref, target }) => ({
          entityRef,
          ref,
          flags: flags.filter(
            f =>
              target.tags.length === 0 ||
              target.tags.some(tag => f.tags.includes(tag)),
          ),
        })),
      ],
      ...(nextCursor && { nextCursor }),
    };
  }

  /**
   * Archives the flag `flagKey` (`<projectKey>/<flagKey>`) in every
   * environment; throws with LaunchDarkly's reason when it refuses (e.g. a
   * flag other flags have as a prerequisite).
   */
  async archiveFlag(request: FlagArchiveRequest): Promise<FlagArchiveResult> {
    const { target, flagKey, reason, actor, signal } = request;
    const parsed = parseLaunchDarklyRef(target.ref);
    if (typeof parsed === 'string') {
      throw new Error(`launchdarkly:${target.ref}: ${parsed}`);
    }
    const slash = flagKey.indexOf('/');
    const project = flagKey.slice(0, slash);
    const key = flagKey.slice(slash + 1);
    if (slash < 0 || project !== parsed.project) {
      throw new Error(
        `"${flagKey}" is not a flag of project ${parsed.project} (expected ${parsed.project}/<flag key>)`,
      );
    }
    const who = actor.displayName ?? actor.ref;
    try {
      await this.#client.archiveFlag({
        project,
        flagKey: key,
        comment: `Archived by Glidepath for ${who}: ${reason}`,
        signal,
      });
    } catch (error) {
      if (error instanceof ProviderRefusal && error.status === 404) {
        throw new Error(
          `${this.#client.name} has no flag ${key} in project ${project}: ${
            error.message
          }`,
        );
      }
      throw error;
    }
    this.#statuses.clear();
    return {
      message: `Archived ${key} in ${
        this.#client.name
      } (project ${project}); it can be restored from LaunchDarkly's archived flags`,
    };
  }

  #projectEnvironments(
    project: string,
    signal: AbortSignal,
  ): Promise<LdEnvironment[]> {
    return this.#reuse(this.#environments, project, async () => {
      const all = await this.#client.listEnvironments(project, signal);
      const wanted = this.#config.environments;
      return wanted ? all.filter(e => wanted.includes(e.key)) : all;
    });
  }

  #flagStatuses(
    project: string,
    environment: string,
    signal: AbortSignal,
  ): Promise<Map<string, LdFlagStatus>> {
    return this.#reuse(
      this.#statuses,
      `${project}\n${environment}`,
      async () => {
        const statuses = await this.#client.listFlagStatuses(
          project,
          environment,
          signal,
        );
        const byFlag = new Map<string, LdFlagStatus>();
        for (const status of statuses) {
          const key = statusFlagKey(status);
          if (key) byFlag.set(key, status);
        }
        return byFlag;
      },
    );
  }

  /** A value read at most once per {@link REUSE_MS}; a failure is not kept. */
  #reuse<T>(
    cache: Map<string, { at: number; value: Promise<T> }>,
    key: string,
    read: () => Promise<T>,
  ): Promise<T> {
    const now = Date.now();
    const known = cache.get(key);
    if (known && now - known.at < REUSE_MS) return known.value;
    const value = read();
    cache.set(key, { at: now, value });
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    return value;
  }
}
