import type { AuthService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  normalizeEntityRef,
  Release,
} from '@glidepath/backstage-plugin-common';
import type { ProviderTargets } from '../releases/ReleaseSync';
import type { DoraStore, RecordStatus } from './DoraStore';
import {
  checkDeploymentEvents,
  DeploymentEvent,
  EventWarning,
  IncidentEvent,
  parseIncidentEvents,
} from './events';

const DAY_MS = 86_400_000;

/** The result of posting events. */
export type IngestResult = {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  results: Array<{
    id: string;
    status: RecordStatus;
    matched: boolean;
    /** What was stored but not as sent, by field; absent when nothing. */
    warnings?: EventWarning[];
  }>;
  /** Entities of these events the catalog does not know. */
  unmatched: string[];
};

function summarise(
  statuses: RecordStatus[],
  ids: string[],
  matched: boolean[],
  warnings: EventWarning[][] = [],
) {
  return {
    received: statuses.length,
    created: statuses.filter(s => s === 'created').length,
    updated: statuses.filter(s => s === 'updated').length,
    unchanged: statuses.filter(s => s === 'unchanged').length,
    results: statuses.map((status, i) => ({
      id: ids[i],
      status,
      matched: matched[i],
      ...(warnings[i]?.length ? { warnings: warnings[i] } : {}),
    })),
  };
}

/**
 * DORA's events in: deployments and incidents posted by tools, the releases
 * Glidepath observes, and the history its providers report. The catalog is
 * read with Glidepath's own credentials to match received events, since the
 * tools that post them need not read the catalog.
 */
export class DoraIngestion {
  constructor(
    private readonly deps: {
      store: DoraStore;
      catalog: CatalogService;
      auth: AuthService;
      productionEnvironments: readonly string[];
      /**
       * Whether releases of simulated providers count (the sandbox's train
       * releases every few minutes; its made-up history counts either way).
       */
      countSimulatedReleases?: boolean;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private isProduction(environment: string): boolean {
    return this.deps.productionEnvironments.includes(environment.toLowerCase());
  }

  /** Which of these refs the catalog knows, read as Glidepath itself. */
  private async known(refs: string[]): Promise<Set<string>> {
    const unique = [...new Set(refs)];
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const found = new Set<string>();
    for (let i = 0; i < unique.length; i += 500) {
      const part = unique.slice(i, i + 500);
      const { items } = await this.deps.catalog.getEntitiesByRefs(
        {
          entityRefs: part,
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        { credentials },
      );
      items.forEach((item, j) => {
        if (item) found.add(part[j]);
      });
    }
    return found;
  }

  async ingestDeployments(body: unknown): Promise<IngestResult> {
    const now = this.now();
    const { events, warnings } = checkDeploymentEvents(body, now.getTime());
    const known = await this.known(events.map(e => e.entityRef));
    const statuses = await this.deps.store.recordDeployments(
      events.map(event => ({
        ...event,
        source: 'api',
        matched: known.has(event.entityRef),
        production: this.isProduction(event.environment),
      })),
      now,
    );
    const matched = events.map(e => known.has(e.entityRef));
    return {
      ...summarise(
        statuses,
        events.map(e => e.id),
        matched,
        warnings,
      ),
      unmatched: [
        ...new Set(events.map(e => e.entityRef).filter(r => !known.has(r))),
      ],
    };
  }

  async ingestIncidents(body: unknown): Promise<IngestResult> {
    const now = this.now();
    const events: IncidentEvent[] = parseIncidentEvents(body, now.getTime());
    const refs = events
      .map(e => e.entityRef)
      .filter((r): r is string => Boolean(r));
    const known = await this.known(refs);
    const statuses = await this.deps.store.recordIncidents(
      events.map(event => ({
        ...event,
        matched: event.entityRef ? known.has(event.entityRef) : undefined,
      })),
      now,
    );
    // An event without an entity (a resolve) is not unmatched.
    const matched = events.map(e => !e.entityRef || known.has(e.entityRef));
    return {
      ...summarise(
        statuses,
        events.map(e => e.id),
        matched,
      ),
      unmatched: [...new Set(refs.filter(r => !known.has(r)))],
    };
  }

  /**
   * Records a release Glidepath observed as a deployment, once it has
   * ended (a running rollout is not yet a deployment): id
   * `release:<id>`, deployed when it started, its phase as the outcome.
   * A simulated provider's releases only with `countSimulatedReleases`.
   */
  async recordRelease(release: Release): Promise<void> {
    if (release.simulated && !this.deps.countSimulatedReleases) return;
    const outcome = outcomeOf(release);
    if (!outcome || !release.finishedAt) return;
    const event: DeploymentEvent = {
      id: `release:${release.id}`,
      entityRef: normalizeEntityRef(release.entityRef),
      environment: release.environment,
      version: release.version,
      deployedAt: new Date(release.startedAt),
      firstCommitAt: null,
      commit: release.commit,
      outcome,
      finishedAt: new Date(release.finishedAt),
      url: null,
      strategy: release.strategy,
    };
    await this.deps.store.recordDeployments(
      [
        {
          ...event,
          source: 'release',
          matched: true,
          production: this.isProduction(release.environment),
          simulated: release.simulated,
        },
      ],
      this.now(),
    );
  }

  async listUnmatched(limit: number) {
    const items = await this.deps.store.listUnmatched(limit);
    return items.map(item => ({
      ...item,
      receivedAt: item.receivedAt.toISOString(),
    }));
  }

  /**
   * Records the history the providers report (`readHistory`) for the last
   * `days` days; ids are prefixed `history:<provider>:`. Idempotent: what
   * was recorded before comes back unchanged; what a provider no longer
   * reports for the period is deleted (its latest reading is its history).
   */
  async importHistory(
    groups: ProviderTargets[],
    days: number,
  ): Promise<{
    providers: number;
    created: number;
    updated: number;
    deleted: number;
  }> {
    const now = this.now();
    const range = { from: new Date(now.getTime() - days * DAY_MS), to: now };
    const totals = { providers: 0, created: 0, updated: 0, deleted: 0 };
    const count = (statuses: RecordStatus[]) => {
      totals.created += statuses.filter(s => s === 'created').length;
      totals.updated += statuses.filter(s => s === 'updated').length;
    };
    for (const { provider, targets } of groups) {
      if (!provider.readHistory || targets.length === 0) continue;
      totals.providers++;
      const history = await provider.readHistory(targets, range);
      const prefix = `history:${provider.id}:`;
      const simulated = Boolean(provider.simulated);
      const deployments = history.deployments.map(d => ({
        ...d,
        id: `${prefix}${d.id}`,
        entityRef: normalizeEntityRef(d.entityRef),
        url: null,
        source: 'history' as const,
        matched: true,
        production: this.isProduction(d.environment),
        simulated,
      }));
      for (let i = 0; i < deployments.length; i += 1000) {
        count(
          await this.deps.store.recordDeployments(
            deployments.slice(i, i + 1000),
            now,
          ),
        );
      }
      const incidents = history.incidents.map(incident => ({
        id: `${prefix}${incident.id}`,
        entityRef: normalizeEntityRef(incident.entityRef),
        title: incident.title,
        openedAt: incident.openedAt,
        resolvedAt: incident.resolvedAt,
        ...(incident.deploymentId && {
          deploymentId: `${prefix}${incident.deploymentId}`,
        }),
        matched: true,
        simulated,
      }));
      for (let i = 0; i < incidents.length; i += 1000) {
        count(
          await this.deps.store.recordIncidents(
            incidents.slice(i, i + 1000),
            now,
          ),
        );
      }
      // This reading of the period replaces the earlier ones.
      totals.deleted += await this.deps.store.pruneHistory({
        prefix,
        ...range,
        keepDeployments: new Set(deployments.map(d => d.id)),
        keepIncidents: new Set(incidents.map(i => i.id)),
        now,
      });
    }
    return totals;
  }
}

function outcomeOf(release: Release): DeploymentEvent['outcome'] | undefined {
  switch (release.phase) {
    case 'succeeded':
      return 'succeeded';
    case 'rolled_back':
      return 'rolled_back';
    case 'aborted':
      return 'aborted';
    case 'failed':
      return 'failed';
    default:
      return undefined;
  }
}
