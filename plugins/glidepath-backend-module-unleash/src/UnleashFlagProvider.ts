import {
  ProviderRefusal,
  type FlagArchiveRequest,
  type FlagArchiveResult,
  type FlagListRequest,
  type FlagPage,
  type FlagProvider,
  type ObservedFlags,
} from '@glidepath/backstage-plugin-node';
import type { UnleashConfig } from './config';
import { flagMatchesTarget, mapUnleashFeature } from './mapping';
import { parseUnleashRef, type UnleashTarget } from './ref';
import { UnleashClient } from './UnleashClient';

/** Unleash answers at most this many flags per page. */
export const UNLEASH_MAX_PAGE_SIZE = 100;

type Cursor = { offset: number; total: number };

function readCursor(cursor: string): Cursor {
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) {
    throw new Error(
      `"${cursor}" is not a cursor the Unleash provider gave (expected <offset>:<total>)`,
    );
  }
  return { offset: Number(match[1]), total: Number(match[2]) };
}

/**
 * Glidepath's `unleash` flag provider: an entity's flags are those of the
 * Unleash project its annotation names (`unleash:<project>`), optionally
 * only those with one of the given tags (`unleash:<project>?tags=cart`).
 *
 * A listing reads every target's projects at once, page by page, through
 * `GET /api/admin/search/features` sorted by name; each page carries every
 * target with its flags on that page. When the number of flags changes
 * between two pages (a flag created or archived meanwhile), the listing
 * fails rather than skip or repeat flags, and Glidepath reads it again on
 * its next run.
 * @public
 */
export class UnleashFlagProvider implements FlagProvider {
  /** The id in `glidepath.dev/flags: unleash:<ref>`. */
  readonly id = 'unleash';
  readonly #client: UnleashClient;
  readonly #baseUrl: string;

  constructor(config: UnleashConfig) {
    this.#client = new UnleashClient(config);
    this.#baseUrl = config.baseUrl;
  }

  /** Reads one page of the flags of many targets' projects at once. */
  async listFlags(request: FlagListRequest): Promise<FlagPage> {
    const { targets, signal } = request;
    const cursor = request.cursor ? readCursor(request.cursor) : undefined;
    const errors: ObservedFlags[] = [];
    let readable: Array<{
      entityRef: string;
      ref: string;
      target: UnleashTarget;
    }> = [];
    for (const { entityRef, ref } of targets) {
      const target = parseUnleashRef(ref);
      if (typeof target === 'string') {
        errors.push({ entityRef, ref, error: `unleash:${ref}: ${target}` });
      } else {
        readable.push({ entityRef, ref, target });
      }
    }

    // Every page checks the projects, so that a target whose project is
    // gone is an error on each page rather than a target without flags.
    const projects = new Set(await this.#client.listProjects(signal));
    readable = readable.filter(({ entityRef, ref, target }) => {
      if (projects.has(target.project)) return true;
      errors.push({
        entityRef,
        ref,
        error: `${this.#client.name} has no project "${target.project}"`,
      });
      return false;
    });
    if (readable.length === 0) return { items: errors };
    const offset = cursor?.offset ?? 0;
    const limit = Math.min(
      UNLEASH_MAX_PAGE_SIZE,
      Math.max(1, Math.floor(request.pageSize)),
    );
    const page = await this.#client.searchFeatures({
      projects: [...new Set(readable.map(r => r.target.project))].sort(),
      offset,
      limit,
      signal,
    });
    if (
      cursor &&
      (page.total !== cursor.total ||
        (page.features.length === 0 && offset < page.total))
    ) {
      throw new Error(
        `The flags in ${
          this.#client.name
        } changed while Glidepath read them page by page (${
          cursor.total
        } flags, then ${
          page.total
        }): the listing is incomplete and is read again on the next run`,
      );
    }

    const flags = page.features.map(f => mapUnleashFeature(f, this.#baseUrl));
    const items: ObservedFlags[] = [
      ...errors,
      ...readable.map(({ entityRef, ref, target }) => ({
        entityRef,
        ref,
        flags: flags.filter(flag => flagMatchesTarget(flag, target)),
      })),
    ];
    const next = offset + page.features.length;
    return {
      items,
      ...(page.features.length > 0 &&
        next < page.total && { nextCursor: `${next}:${page.total}` }),
    };
  }

  /**
   * Archives the flag `flagKey` (its name) in the target's project; throws
   * with Unleash's reason when Unleash refuses.
   */
  async archiveFlag(request: FlagArchiveRequest): Promise<FlagArchiveResult> {
    const { target, flagKey, signal } = request;
    const parsed = parseUnleashRef(target.ref);
    if (typeof parsed === 'string') {
      throw new Error(`unleash:${target.ref}: ${parsed}`);
    }
    const { project } = parsed;
    // Unleash answers 202 for a flag already archived too.
    try {
      await this.#client.archiveFeature(project, flagKey, signal);
    } catch (error) {
      if (error instanceof ProviderRefusal && error.status === 404) {
        throw new Error(
          `${this.#client.name} has no flag ${flagKey} in project ${project}: ${
            error.message
          }`,
        );
      }
      throw error;
    }
    return {
      message: `Archived ${flagKey} in ${
        this.#client.name
      } (project ${project}); it can be revived from Unleash's archive`,
    };
  }
}
