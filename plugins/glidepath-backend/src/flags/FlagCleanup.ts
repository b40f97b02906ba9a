import type {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { Actor } from '@glidepath/backstage-plugin-common';
import { archiveFlagInProvider, FlagArchiveDeps } from './archive';
import { CleanupDecision, decideCleanup } from './cleanup';
import type { FlagAnnouncement, FlagRecord } from './FlagStore';
import { servedEverywhere } from './rules';
import { audited } from '../shared/authorize';

/** The cleanup acts as this policy. */
export const FLAG_CLEANUP_ACTOR: Actor = {
  kind: 'policy',
  ref: 'flag-cleanup',
  displayName: 'Glidepath flag cleanup',
};

/** What one cleanup run did (or, in a dry run, would do). */
export type FlagCleanupReport = {
  dryRun: boolean;
  /** Flags announced to their owners now, by name. */
  announced: string[];
  /** Owners told (a notification each). */
  notified: string[];
  archived: string[];
  /** Archives the provider refused or failed, with the reason. */
  failed: Array<{ flag: string; reason: string }>;
  /** Flags left alone, with why (kept, stale inventory, kill switch...). */
  skipped: Array<{ flag: string; reason: string }>;
  waiting: number;
  withdrawn: number;
};

const keyOf = (f: {
  entityRef: string;
  provider: string;
  key?: string;
  flagKey?: string;
}) => JSON.stringify([f.entityRef, f.provider, f.key ?? f.flagKey]);

/**
 * The automated cleanup of stale flags, safe by default: a stale flag is
 * announced to its owning team with the day it becomes due; once that day
 * has passed without a keep decision, it is archived in its provider when
 * it is off everywhere or launched to everyone and not a kill switch, never
 * on stale inventory. Each archive is audited (`flag-archive`) and
 * recorded as an action of the policy `flag-cleanup`. In a dry run nothing
 * is sent or archived: the run only reports (and its announcements do not
 * count once the cleanup runs for real).
 */
export class FlagCleanup {
  constructor(
    private readonly deps: FlagArchiveDeps & {
      catalog: CatalogService;
      auth: AuthService;
      auditor: AuditorService;
      notifications: NotificationService;
      logger: LoggerService;
      graceDays: number;
      dryRun: boolean;
    },
  ) {}

  async run(): Promise<FlagCleanupReport> {
    const { store, dryRun } = this.deps;
    const now = this.deps.now();
    const report: FlagCleanupReport = {
      dryRun,
      announced: [],
      notified: [],
      archived: [],
      failed: [],
      skipped: [],
      waiting: 0,
      withdrawn: 0,
    };
    const [flags, targets, announcements] = await Promise.all([
      store.listFlags({}),
      store.listTargets(),
      store.listAnnouncements(),
    ]);
    const failedTargets = new Set(
      targets
        .filter(t => t.error)
        .map(t => JSON.stringify([t.entityRef, t.provider, t.ref])),
    );
    // An announcement of the other mode does not count: a dry run's was
    // never sent.
    const announced = new Map(
      announcements
        .filter(a => a.dryRun === dryRun)
        .map(a => [keyOf(a), a] as const),
    );
    const stillAnnounced = new Set(announcements.map(keyOf));

    const toAnnounce: Array<{ flag: FlagRecord; dueAt: Date }> = [];
    const toArchive: FlagRecord[] = [];
    const toWithdraw: FlagRecord[] = [];
    for (const flag of flags) {
      const announcement = announced.get(keyOf(flag));
      const served = servedEverywhere({
        environments: flag.environments.map(env => ({
          ...env,
          lastEvaluatedAt: undefined,
          servingSince: env.servingSince
            ? new Date(env.servingSince)
            : undefined,
        })),
        updatedAt: flag.changedAt ?? undefined,
      });
      const decision: CleanupDecision = decideCleanup(
        {
          id: flag.id,
          name: flag.name,
          state: flag.state,
          type: flag.type,
          keptUntil: flag.keep?.expiresAt ?? null,
          servesEveryone: served?.variation ?? null,
          inventoryStale: failedTargets.has(
            JSON.stringify([flag.entityRef, flag.provider, flag.targetRef]),
          ),
          canArchive: Boolean(
            this.deps.providers.get(flag.provider)?.archiveFlag,
          ),
          announcement: announcement ?? null,
        },
        { now, graceDays: this.deps.graceDays },
      );
      const label = `${flag.entityRef} ${flag.name}`;
      switch (decision.action) {
        case 'announce':
          toAnnounce.push({ flag, dueAt: decision.dueAt });
          report.announced.push(label);
          break;
        case 'archive':
          toArchive.push(flag);
          break;
        case 'withdraw':
          if (stillAnnounced.has(keyOf(flag))) toWithdraw.push(flag);
          break;
        case 'wait':
          report.waiting += 1;
          break;
        default:
          if (flag.state === 'stale') {
            report.skipped.push({ flag: label, reason: decision.reason });
          }
      }
    }

    await store.withdraw(
      toWithdraw.map(f => ({
        entityRef: f.entityRef,
        provider: f.provider,
        flagKey: f.key,
      })),
    );
    report.withdrawn = toWithdraw.length;
    await store.announce(
      toAnnounce.map(
        ({ flag, dueAt }): FlagAnnouncement => ({
          entityRef: flag.entityRef,
          provider: flag.provider,
          flagKey: flag.key,
          owner: flag.owner,
          dryRun,
          announcedAt: now,
          dueAt,
        }),
      ),
    );
    if (!dryRun) {
      report.notified = await this.notify(toAnnounce);
    }

    if (dryRun) {
      report.archived = toArchive.map(f => `${f.entityRef} ${f.name}`);
    } else {
      const entities = await this.entities(toArchive);
      for (const flag of toArchive) {
        const label = `${flag.entityRef} ${flag.name}`;
        const entity = entities.get(flag.entityRef);
        if (!entity) {
          report.skipped.push({
            flag: label,
            reason: `${flag.entityRef} is not in the catalog`,
          });
          continue;
        }
        const failure = await this.archive(entity, flag);
        if (failure === undefined) report.archived.push(label);
        else report.failed.push({ flag: label, reason: failure });
      }
    }
    return report;
  }

  private async archive(
    entity: Entity,
    flag: FlagRecord,
  ): Promise<string | undefined> {
    const reason = `Stale since ${
      flag.staleAt?.toISOString().slice(0, 10) ?? 'before'
    }, announced to its owner, not kept within the grace period`;
    try {
      return await audited(
        this.deps.auditor,
        {
          eventId: 'flag-archive',
          severityLevel: 'high',
          meta: {
            entityRef: flag.entityRef,
            flag: flag.key,
            provider: flag.provider,
            by: `policy:${FLAG_CLEANUP_ACTOR.ref}`,
          },
        },
        async () => {
          const { failure } = await archiveFlagInProvider(this.deps, {
            entity,
            flag,
            reason,
            actor: FLAG_CLEANUP_ACTOR,
          });
          if (failure !== undefined) throw new Error(failure);
          return { result: undefined, meta: { state: flag.state } };
        },
      );
    } catch (error) {
      return (error as Error).message;
    }
  }

  private async entities(flags: FlagRecord[]): Promise<Map<string, Entity>> {
    const refs = [...new Set(flags.map(f => f.entityRef))];
    if (!refs.length) return new Map();
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    const map = new Map<string, Entity>();
    items.forEach((entity, i) => {
      if (entity) map.set(refs[i], entity);
    });
    return map;
  }

  /** One notification per owning team (or person) of the flags announced. */
  private async notify(
    announced: Array<{ flag: FlagRecord; dueAt: Date }>,
  ): Promise<string[]> {
    const byOwner = new Map<string, Array<{ flag: FlagRecord; dueAt: Date }>>();
    for (const entry of announced) {
      const owner = entry.flag.owner;
      // A maintainer from the provider (an email) has no catalog entity to
      // notify: the flag is on its entity's tab all the same.
      if (!owner || entry.flag.ownerSource !== 'catalog') continue;
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), entry]);
    }
    const notified: string[] = [];
    for (const [owner, entries] of byOwner) {
      const dueAt = entries
        .map(e => e.dueAt)
        .sort((a, b) => a.getTime() - b.getTime())[0];
      const first = entries[0].flag;
      const [kind, rest] = first.entityRef.split(':');
      const [namespace, name] = rest.split('/');
      try {
        await this.deps.notifications.send({
          recipients: { type: 'entity', entityRef: owner },
          payload: {
            title: `${entries.length} stale feature flag${
              entries.length === 1 ? '' : 's'
            } to clean up by ${dueAt.toISOString().slice(0, 10)}`,
            description: `${entries
              .map(
                e =>
                  `${e.flag.name} (${e.flag.entityRef}): ${e.flag.stateReason}`,
              )
              .join(
                '; ',
              )}. Remove them from the code and archive them, or keep them with a reason; Glidepath archives those off everywhere or launched to everyone after that day.`,
            link:
              entries.length === 1 ||
              entries.every(e => e.flag.entityRef === first.entityRef)
                ? `/catalog/${namespace}/${kind}/${name}/feature-flags`
                : undefined,
            severity: 'normal',
            topic: 'Glidepath stale feature flags',
            scope: `glidepath-flag-cleanup:${owner}:${dueAt
              .toISOString()
              .slice(0, 10)}`,
          },
        });
        notified.push(owner);
      } catch (error) {
        this.deps.logger.warn(
          `Glidepath could not tell ${owner} about stale flags: ${error}`,
        );
      }
    }
    return notified;
  }
}
