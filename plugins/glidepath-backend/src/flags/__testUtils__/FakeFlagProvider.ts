import type {
  FlagArchiveRequest,
  FlagListRequest,
  FlagPage,
  FlagProvider,
  ObservedFlag,
  ObservedFlags,
} from '@glidepath/backstage-plugin-node';

/**
 * A flag provider for tests: flags per ref, listed a page at a time (the
 * cursor is an offset into every target's flags), with switches to make it
 * fail, fail for one ref, or refuse to archive.
 */
export class FakeFlagProvider implements FlagProvider {
  readonly id: string;
  readonly simulated: boolean;
  /** The flags of each ref. */
  readonly flags = new Map<string, ObservedFlag[]>();
  /** What the provider reports wrong with a ref instead of its flags. */
  readonly refProblems = new Map<string, string>();
  listFailure: Error | undefined;
  /** Fails the listing from this page on (0-based), when set. */
  failFromPage: number | undefined;
  archiveRefusal: Error | undefined;
  readonly listCalls: FlagListRequest[] = [];
  readonly archiveCalls: FlagArchiveRequest[] = [];

  constructor(id = 'fake-flags', options: { simulated?: boolean } = {}) {
    this.id = id;
    this.simulated = options.simulated ?? false;
  }

  async listFlags(request: FlagListRequest): Promise<FlagPage> {
    this.listCalls.push(request);
    const page = request.cursor ? Number(request.cursor.split(':')[1]) : 0;
    if (this.listFailure) throw this.listFailure;
    if (this.failFromPage !== undefined && page >= this.failFromPage) {
      throw new Error(`page ${page} failed`);
    }
    const all: Array<{
      entityRef: string;
      ref: string;
      flag?: ObservedFlag;
      error?: string;
    }> = [];
    for (const target of request.targets) {
      const problem = this.refProblems.get(target.ref);
      if (problem) {
        all.push({
          entityRef: target.entityRef,
          ref: target.ref,
          error: problem,
        });
        continue;
      }
      for (const flag of this.flags.get(target.ref) ?? []) {
        all.push({ entityRef: target.entityRef, ref: target.ref, flag });
      }
    }
    const start = page * request.pageSize;
    const slice = all.slice(start, start + request.pageSize);
    const items: ObservedFlags[] = [];
    for (const entry of slice) {
      if (entry.error !== undefined) {
        items.push({
          entityRef: entry.entityRef,
          ref: entry.ref,
          error: entry.error,
        });
        continue;
      }
      const last = items[items.length - 1];
      if (
        last &&
        'flags' in last &&
        last.ref === entry.ref &&
        last.entityRef === entry.entityRef
      ) {
        last.flags.push(entry.flag!);
      } else {
        items.push({
          entityRef: entry.entityRef,
          ref: entry.ref,
          flags: [entry.flag!],
        });
      }
    }
    return {
      items,
      ...(start + request.pageSize < all.length && {
        nextCursor: `page:${page + 1}`,
      }),
    };
  }

  async archiveFlag(request: FlagArchiveRequest) {
    this.archiveCalls.push(request);
    if (this.archiveRefusal) throw this.archiveRefusal;
    const list = this.flags.get(request.target.ref) ?? [];
    const flag = list.find(f => f.key === request.flagKey);
    if (!flag) throw new Error(`no flag "${request.flagKey}"`);
    flag.archived = true;
    return { message: `archived ${flag.name}` };
  }
}
