import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  FlagArchiveRequest,
  FlagArchiveResult,
  FlagListRequest,
  FlagPage,
  FlagProvider,
  ObservedFlag,
  ObservedFlags,
} from '@glidepath/backstage-plugin-node';
import { readSandboxFlagRef, sandboxFlags, type SandboxFlag } from './flags';
import { SandboxJournal } from './journal';

const ARCHIVES = 'glidepath_sandbox_flag_archives';

/** How a sandbox flag provider is made. @public */
export type SandboxFlagProviderOptions = {
  /** The fleet's seed: the same seed gives the same flags. */
  seed: string;
  /**
   * Where first sightings and archived flags are kept (the Glidepath
   * plugin's database), so that replicas and restarts agree. Without it
   * they live in memory.
   */
  database?: DatabaseService;
  now?: () => Date;
};

/**
 * The sandbox's feature flags, as Glidepath's `sandbox` flag provider:
 * made-up flags of plausible ages and states per ref, labelled simulated.
 * Archiving works and is kept; archiving a flag still on for part of
 * production is refused, as a team's own rules would.
 * @public
 */
export class SandboxFlagProvider implements FlagProvider {
  readonly id = 'sandbox';
  readonly simulated = true;
  private readonly seed: string;
  private readonly now: () => Date;
  private readonly journal?: SandboxJournal;
  private readonly firstSeenInMemory = new Map<string, Date>();
  private readonly archivedInMemory = new Map<string, Date>();

  constructor(options: SandboxFlagProviderOptions) {
    this.seed = options.seed;
    this.now = options.now ?? (() => new Date());
    if (options.database) {
      this.journal = new SandboxJournal({
        database: options.database,
        seed: options.seed,
      });
    }
  }

  /** Resolves once the sandbox's tables are in place. */
  async ready(): Promise<void> {
    await this.journal?.ready();
  }

  private async firstSeen(refs: string[], now: Date) {
    // Kept with the fleet's services, apart by a prefix.
    const names = refs.map(ref => `flags:${readSandboxFlagRef(ref).project}`);
    if (this.journal) {
      const seen = await this.journal.firstSeen(names, now);
      return (ref: string) =>
        seen.get(`flags:${readSandboxFlagRef(ref).project}`) ?? now;
    }
    for (const name of names) {
      if (!this.firstSeenInMemory.has(name)) {
        this.firstSeenInMemory.set(name, now);
      }
    }
    return (ref: string) =>
      this.firstSeenInMemory.get(`flags:${readSandboxFlagRef(ref).project}`)!;
  }

  private async archived(): Promise<Map<string, Date>> {
    if (!this.journal) return this.archivedInMemory;
    const client = await this.journal.ready();
    const rows = (await client(ARCHIVES)
      .where({ seed: this.seed })
      .select('flag_key', 'archived_at')) as Array<{
      flag_key: string;
      archived_at: number | string;
    }>;
    return new Map(
      rows.map(row => [row.flag_key, new Date(Number(row.archived_at))]),
    );
  }

  /** The flags of one ref now, archived ones marked so. */
  async flagsOf(ref: string): Promise<SandboxFlag[]> {
    const now = this.now();
    const firstSeen = await this.firstSeen([ref], now);
    const archived = await this.archived();
    return this.flagsAt(ref, firstSeen(ref), now, archived);
  }

  private flagsAt(
    ref: string,
    firstSeen: Date,
    now: Date,
    archived: Map<string, Date>,
  ): SandboxFlag[] {
    return sandboxFlags({ seed: this.seed, ref, firstSeen, now }).map(flag =>
      archived.has(flag.key)
        ? { ...flag, archived: true, lifecycle: 'archived' }
        : flag,
    );
  }

  async listFlags(request: FlagListRequest): Promise<FlagPage> {
    const now = this.now();
    const firstSeen = await this.firstSeen(
      request.targets.map(t => t.ref),
      now,
    );
    const archived = await this.archived();
    const all: Array<{ entityRef: string; ref: string; flag: ObservedFlag }> =
      [];
    for (const target of request.targets) {
      for (const flag of this.flagsAt(
        target.ref,
        firstSeen(target.ref),
        now,
        archived,
      )) {
        const { pattern: _pattern, ...observed } = flag;
        all.push({
          entityRef: target.entityRef,
          ref: target.ref,
          flag: observed,
        });
      }
    }
    const start = request.cursor ? Number(request.cursor) : 0;
    if (!Number.isInteger(start) || start < 0) {
      throw new Error(`"${request.cursor}" is not a sandbox cursor`);
    }
    const items: ObservedFlags[] = [];
    for (const entry of all.slice(start, start + request.pageSize)) {
      const last = items[items.length - 1];
      if (
        last &&
        'flags' in last &&
        last.entityRef === entry.entityRef &&
        last.ref === entry.ref
      ) {
        last.flags.push(entry.flag);
      } else {
        items.push({
          entityRef: entry.entityRef,
          ref: entry.ref,
          flags: [entry.flag],
        });
      }
    }
    const next = start + request.pageSize;
    return {
      items,
      ...(next < all.length && { nextCursor: String(next) }),
    };
  }

  async archiveFlag(request: FlagArchiveRequest): Promise<FlagArchiveResult> {
    const flags = await this.flagsOf(request.target.ref);
    const flag = flags.find(f => f.key === request.flagKey);
    if (!flag) {
      throw new Error(
        `The sandbox has no flag "${request.flagKey}" for "${request.target.ref}"`,
      );
    }
    if (flag.archived) {
      return { message: `${flag.name} was already archived (simulated)` };
    }
    if (flag.pattern === 'rolling-out') {
      const production = flag.environments.find(
        e => e.environment === 'production',
      );
      throw new Error(
        `The sandbox refuses to archive ${flag.name}: it is still ${
          production?.summary ?? 'rolling out'
        } in production; finish the rollout or turn it off first`,
      );
    }
    const at = this.now();
    if (this.journal) {
      const client = await this.journal.ready();
      await client(ARCHIVES)
        .insert({
          seed: this.seed,
          flag_key: flag.key,
          archived_at: at.getTime(),
          payload: JSON.stringify({
            reason: request.reason,
            actor: request.actor,
          }),
        })
        .onConflict(['seed', 'flag_key'])
        .ignore();
    } else {
      this.archivedInMemory.set(flag.key, at);
    }
    return { message: `${flag.name} archived (simulated)` };
  }
}
