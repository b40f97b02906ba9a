import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  bucketsOf,
  compareDoraMeasures,
  computeDora,
  DoraChange,
  DoraMeasures,
  DoraReportFlags,
  DoraReportReleaseMetrics,
  normalizeEntityRef,
} from '@glidepath/backstage-plugin-common';
import { v4 as uuid } from 'uuid';
import { entityKey, parseRefParameter } from '../shared/refs';
import type { DoraStore, StoredReport } from './DoraStore';
import { toDoraFailure } from './response';

const WEEK_MS = 7 * 86_400_000;

/** The body of a team's weekly report. */
export type WeeklyReportContent = {
  summary: DoraMeasures;
  previous: DoraMeasures;
  changes: DoraChange[];
  services: Array<{
    entityRef: string;
    deployments: number;
    failures: number;
    leadTimeMedianMs: number | null;
  }>;
  failures: ReturnType<typeof toDoraFailure>[];
  slowestLeadTimes: Array<{
    deploymentId: string;
    entityRef: string;
    version: string | null;
    deployedAt: string;
    leadTimeMs: number;
  }>;
  /** The team's feature flags, when the flags capability is installed. */
  flags?: DoraReportFlags;
  /** The team's release metrics of the week, when that capability is wired. */
  releaseMetrics?: DoraReportReleaseMetrics;
};

/**
 * A section another capability adds to each team's weekly report; the
 * flags capability's gives the team's stale flags and the share of new
 * features behind flags. `current` is true for the week that just ended,
 * false for a past week written afterwards (a backfill).
 */
export interface WeeklyReportFlagsSection {
  forTeam(options: {
    ownerRef: string;
    from: Date;
    to: Date;
    current: boolean;
  }): Promise<DoraReportFlags>;
}

/**
 * A section another capability adds to each team's weekly report: the
 * release metrics capability's gives the week's rollback-tested share,
 * progressive delivery share and rollback time of the team's services.
 */
export interface WeeklyReportReleaseMetricsSection {
  forTeam(options: {
    ownerRef: string;
    entityRefs: readonly string[];
    from: Date;
    to: Date;
  }): Promise<DoraReportReleaseMetrics>;
  /** The section in a sentence, for the notification ('' for nothing to say). */
  describe(section: DoraReportReleaseMetrics): string;
}

const PERCENT = new Intl.NumberFormat('en', {
  style: 'percent',
  maximumFractionDigits: 0,
});

const TREND_WORDS: Record<DoraChange['measure'], string> = {
  deploymentFrequency: 'deployment frequency',
  leadTime: 'lead time',
  changeFailureRate: 'change failure rate',
  recoveryTime: 'recovery time',
};

/** The flags section in a sentence, for the notification. */
export function describeFlags(flags: DoraReportFlags | undefined): string {
  if (!flags) return '';
  const { team, target } = flags.coverage;
  const parts: string[] = [];
  if (flags.staleTotal > 0) {
    parts.push(
      `${flags.staleTotal} stale feature flag${
        flags.staleTotal === 1 ? '' : 's'
      } to clean up`,
    );
  }
  if (team.share !== null) {
    parts.push(
      `${PERCENT.format(team.share)} of ${team.releases} release${
        team.releases === 1 ? '' : 's'
      } behind a flag (target ${PERCENT.format(target)})`,
    );
  }
  return parts.length
    ? `${parts.join('; ')}.`.replace(/^./, c => c.toUpperCase())
    : '';
}

/** The notification's one-line description of the week against the one before. */
export function describeChanges(changes: DoraChange[]): string {
  const moved = changes.filter(
    c => c.trend === 'better' || c.trend === 'worse',
  );
  if (moved.length === 0) return 'No measure moved against the week before.';
  return `${moved
    .map(c => `${TREND_WORDS[c.measure]} ${c.trend}`)
    .join(', ')} than the week before.`.replace(/^./, c => c.toUpperCase());
}

/**
 * Writes each team's DORA report for the last complete week (Monday to
 * Monday, UTC) and tells the team through the notifications service. A team
 * without reports also gets the weeks before, up to `backfillWeeks`, without
 * a notification for those. A report is written once per team and week,
 * whichever replica or run gets there first.
 */
export class DoraWeeklyReports {
  constructor(
    private readonly deps: {
      store: DoraStore;
      catalog: CatalogService;
      auth: AuthService;
      notifications?: NotificationService;
      logger: LoggerService;
      backfillWeeks: number;
      /** The flags section; without it, reports have none. */
      flags?: WeeklyReportFlagsSection;
      /** The release metrics section; without it, reports have none. */
      releaseMetrics?: WeeklyReportReleaseMetricsSection;
      now?: () => Date;
    },
  ) {}

  /** Each team (group) and the components and resources it owns. */
  private async teams(): Promise<Map<string, string[]>> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: { kind: ['component', 'resource'] },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    const teams = new Map<string, string[]>();
    for (const entity of items) {
      const ref = entityKey(entity);
      for (const relation of entity.relations ?? []) {
        if (relation.type !== 'ownedBy') continue;
        const owner = normalizeEntityRef(relation.targetRef);
        if (!owner.startsWith('group:')) continue;
        const owned = teams.get(owner) ?? [];
        owned.push(ref);
        teams.set(owner, owned);
      }
    }
    return teams;
  }

  async run(): Promise<{ written: number; notified: number }> {
    const now = (this.deps.now?.() ?? new Date()).getTime();
    // The week in progress starts where the last complete one ends.
    const [current] = bucketsOf(now, now + 1, 'week');
    const lastEnd = current.start;
    let written = 0;
    let notified = 0;
    for (const [ownerRef, entityRefs] of await this.teams()) {
      for (let k = 0; k < Math.max(1, this.deps.backfillWeeks); k++) {
        const end = lastEnd - k * WEEK_MS;
        const start = end - WEEK_MS;
        if (await this.deps.store.hasReport(ownerRef, new Date(start))) {
          // Older weeks were backfilled with it, or written before.
          break;
        }
        const content = await this.write(entityRefs, start, end, now);
        const flags = await this.flagsSection(ownerRef, start, end, k === 0);
        if (flags) content.flags = flags;
        const releaseMetrics = await this.releaseMetricsSection(
          ownerRef,
          entityRefs,
          start,
          end,
        );
        if (releaseMetrics) content.releaseMetrics = releaseMetrics;
        const id = uuid();
        const stored = await this.deps.store.insertReport({
          id,
          ownerRef,
          periodStart: new Date(start),
          periodEnd: new Date(end),
          createdAt: new Date(now),
          content,
        });
        if (!stored) break;
        written++;
        if (k === 0 && (await this.notify(ownerRef, id, start, content))) {
          notified++;
        }
      }
    }
    return { written, notified };
  }

  /** One team's report for [start, end). */
  async write(
    entityRefs: string[],
    start: number,
    end: number,
    now: number,
  ): Promise<WeeklyReportContent> {
    const { store } = this.deps;
    const facts = await store.listFacts({
      entityRefs,
      from: new Date(start - WEEK_MS),
      to: new Date(end),
    });
    const options = { bucket: 'week' as const, now };
    const thisWeek = facts.filter(f => f.deployedAt >= start);
    const summary = computeDora(thisWeek, {
      ...options,
      from: start,
      to: end,
    }).summary;
    const previous = computeDora(
      facts.filter(f => f.deployedAt < start),
      { ...options, from: start - WEEK_MS, to: start },
    ).summary;
    const byEntity = new Map<string, typeof thisWeek>();
    for (const fact of thisWeek) {
      const own = byEntity.get(fact.entityRef) ?? [];
      own.push(fact);
      byEntity.set(fact.entityRef, own);
    }
    const services = [...byEntity.entries()]
      .map(([entityRef, own]) => {
        const measures = computeDora(own, {
          ...options,
          from: start,
          to: end,
        }).summary;
        return {
          entityRef,
          deployments: measures.deployments,
          failures: measures.changeFailureRate.failures,
          leadTimeMedianMs: measures.leadTime.medianMs,
        };
      })
      .sort(
        (a, b) =>
          b.deployments - a.deployments ||
          a.entityRef.localeCompare(b.entityRef),
      );
    const range = { entityRefs, from: new Date(start), to: new Date(end) };
    const failures = await store.listFailures({ ...range, limit: 20 });
    const slowest = await store.listSlowestLeadTimes({ ...range, limit: 5 });
    return {
      summary,
      previous,
      changes: compareDoraMeasures(summary, previous),
      services,
      failures: failures.map(toDoraFailure),
      slowestLeadTimes: slowest.map(s => ({
        deploymentId: s.id,
        entityRef: s.entityRef,
        version: s.version,
        deployedAt: new Date(s.deployedAt).toISOString(),
        leadTimeMs: s.leadTimeMs,
      })),
    };
  }

  /** The flags section, or none when it cannot be written now. */
  private async flagsSection(
    ownerRef: string,
    start: number,
    end: number,
    current: boolean,
  ): Promise<DoraReportFlags | undefined> {
    if (!this.deps.flags) return undefined;
    try {
      return await this.deps.flags.forTeam({
        ownerRef,
        from: new Date(start),
        to: new Date(end),
        current,
      });
    } catch (error) {
      // The report is written all the same, without the section.
      this.deps.logger.warn(
        `Glidepath wrote the weekly report of ${ownerRef} without its feature flags: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
  }

  /** The release metrics section, or none when it cannot be written now. */
  private async releaseMetricsSection(
    ownerRef: string,
    entityRefs: readonly string[],
    start: number,
    end: number,
  ): Promise<DoraReportReleaseMetrics | undefined> {
    if (!this.deps.releaseMetrics) return undefined;
    try {
      return await this.deps.releaseMetrics.forTeam({
        ownerRef,
        entityRefs,
        from: new Date(start),
        to: new Date(end),
      });
    } catch (error) {
      this.deps.logger.warn(
        `Glidepath wrote the weekly report of ${ownerRef} without its release metrics: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
  }

  private async notify(
    ownerRef: string,
    id: string,
    start: number,
    content: WeeklyReportContent,
  ): Promise<boolean> {
    const { notifications, logger } = this.deps;
    if (!notifications) return false;
    const week = new Date(start).toISOString().slice(0, 10);
    const { deployments, changeFailureRate } = content.summary;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: ownerRef },
        payload: {
          title: `Release health, week of ${week}: ${deployments} deployment${
            deployments === 1 ? '' : 's'
          }${
            changeFailureRate.rate === null
              ? ''
              : `, ${PERCENT.format(changeFailureRate.rate)} failed`
          }`,
          description: [
            describeChanges(content.changes),
            describeFlags(content.flags),
            content.releaseMetrics && this.deps.releaseMetrics
              ? this.deps.releaseMetrics.describe(content.releaseMetrics)
              : '',
          ]
            .filter(Boolean)
            .join(' '),
          link: `/glidepath/analytics/reports/${id}`,
          severity: 'low',
          topic: 'Glidepath weekly release report',
          scope: `glidepath-dora-weekly:${ownerRef}:${week}`,
        },
      });
      return true;
    } catch (error) {
      logger.warn(
        `Glidepath could not send the weekly report of ${ownerRef}: ${
          (error as Error).message
        }`,
      );
      return false;
    }
  }

  /** Reports of a team the caller can see, newest first. */
  async list(
    owner: string | undefined,
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<StoredReport[]> {
    if (!owner) return this.deps.store.listReports({ limit });
    const ownerRef = parseRefParameter(owner, 'owner', 'group', ['group']);
    await this.readableOwner(ownerRef, credentials);
    return this.deps.store.listReports({ ownerRefs: [ownerRef], limit });
  }

  async get(id: string, credentials: BackstageCredentials) {
    const report = await this.deps.store.getReport(id);
    if (!report) throw new NotFoundError(`No report ${id}`);
    await this.readableOwner(report.ownerRef, credentials);
    return report;
  }

  private async readableOwner(ref: string, credentials: BackstageCredentials) {
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`No group ${ref} in the catalog`);
  }
}
