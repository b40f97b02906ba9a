import {
  computeDora,
  deploymentFacts,
  DoraDeployment,
  DoraIncident,
} from '@glidepath/backstage-plugin-common';
import type { ProviderHistory } from '@glidepath/backstage-plugin-node';
import { HistoryService, sandboxHistory, trendOf } from './history';

const DAY = 86_400_000;
const TO = new Date('2026-11-28T12:00:00Z');
const FROM = new Date(TO.getTime() - 190 * DAY);

const services: HistoryService[] = [
  { entityRef: 'component:default/cart', name: 'cart', team: 'team-up' },
  { entityRef: 'component:default/search', name: 'search', team: 'team-up' },
  { entityRef: 'component:default/ledger', name: 'ledger', team: 'team-down' },
  { entityRef: 'component:default/fx', name: 'fx', team: 'team-down' },
];
const options = {
  seed: 'tidewater',
  environment: 'production',
  trends: { 'team-up': 'improving', 'team-down': 'worsening' } as const,
};

/** The DORA summary of a team's history over [from, to). */
function measures(
  history: ProviderHistory,
  refs: string[],
  from: number,
  to: number,
) {
  const deployments: DoraDeployment[] = history.deployments
    .filter(d => refs.includes(d.entityRef))
    .map(d => ({
      id: d.id,
      entityRef: d.entityRef,
      version: d.version,
      deployedAt: d.deployedAt.getTime(),
      firstCommitAt: d.firstCommitAt?.getTime() ?? null,
      outcome: d.outcome,
      finishedAt: d.finishedAt?.getTime() ?? null,
    }));
  const incidents: DoraIncident[] = history.incidents.map(i => ({
    id: i.id,
    entityRef: i.entityRef,
    openedAt: i.openedAt.getTime(),
    resolvedAt: i.resolvedAt?.getTime() ?? null,
    deploymentId: i.deploymentId ?? null,
    version: null,
  }));
  return computeDora(deploymentFacts(deployments, incidents), {
    from,
    to,
    bucket: 'week',
    now: TO.getTime(),
  }).summary;
}

describe('sandboxHistory', () => {
  const history = sandboxHistory(services, { from: FROM, to: TO }, options);

  it('is the same for the same seed, and another for another seed', () => {
    expect(sandboxHistory(services, { from: FROM, to: TO }, options)).toEqual(
      history,
    );
    const other = sandboxHistory(
      services,
      { from: FROM, to: TO },
      { ...options, seed: 'other' },
    );
    expect(other.deployments.map(d => d.id)).not.toEqual(
      history.deployments.map(d => d.id),
    );
  });

  it('gives the same days from a later reading in the same week (ids and times stable)', () => {
    // Saturday noon to Sunday noon: the trend is anchored on the same Monday.
    const later = sandboxHistory(
      services,
      { from: FROM, to: new Date(TO.getTime() + DAY) },
      options,
    );
    const ids = new Set(later.deployments.map(d => d.id));
    expect(history.deployments.every(d => ids.has(d.id))).toBe(true);
  });

  it('stays within the range, with unique ids, links to its own deployments and plausible values', () => {
    const { deployments, incidents } = history;
    expect(deployments.length).toBeGreaterThan(200);
    expect(incidents.length).toBeGreaterThan(5);
    expect(new Set(deployments.map(d => d.id)).size).toBe(deployments.length);
    const ids = new Set(deployments.map(d => d.id));
    for (const d of deployments) {
      expect(d.deployedAt >= FROM && d.deployedAt < TO).toBe(true);
      expect(d.firstCommitAt!.getTime()).toBeLessThan(d.deployedAt.getTime());
      expect(d.version).toMatch(/^1\.\d+\.\d+$/);
    }
    expect(incidents.every(i => i.openedAt < TO)).toBe(true);
    expect(
      incidents.every(i => !i.resolvedAt || i.resolvedAt > i.openedAt),
    ).toBe(true);
    const linked = incidents.filter(i => i.deploymentId);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.every(i => ids.has(i.deploymentId!))).toBe(true);
  });

  it.each([
    [
      'team-up',
      ['component:default/cart', 'component:default/search'],
      'improves',
    ],
    [
      'team-down',
      ['component:default/ledger', 'component:default/fx'],
      'worsens',
    ],
  ])('%s %s over the months', (_, refs, direction) => {
    const start = TO.getTime() - 182 * DAY;
    const first = measures(history, refs, start, start + 56 * DAY);
    const last = measures(history, refs, TO.getTime() - 56 * DAY, TO.getTime());
    const [better, worse] =
      direction === 'improves' ? [last, first] : [first, last];
    expect(better.deploymentsPerDay).toBeGreaterThan(worse.deploymentsPerDay);
    expect(better.leadTime.medianMs!).toBeLessThan(worse.leadTime.medianMs!);
    expect(better.changeFailureRate.rate!).toBeLessThan(
      worse.changeFailureRate.rate!,
    );
  });

  it('draws a trend for a team that has none configured, from the seed', () => {
    expect(trendOf('team-x', options)).toBe(trendOf('team-x', options));
    expect(['improving', 'worsening', 'steady']).toContain(
      trendOf('team-x', options),
    );
    expect(trendOf('team-up', options)).toBe('improving');
  });
});
