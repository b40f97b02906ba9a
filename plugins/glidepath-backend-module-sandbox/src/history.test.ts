import {
  computeDora,
  deploymentFacts,
  DoraDeployment,
  DoraIncident,
} from '@glidepath/backstage-plugin-common';
import type { ProviderHistory } from '@glidepath/backstage-plugin-node';
import {
  HistoryService,
  sandboxHistory,
  trendOf,
  versionBefore,
} from './history';

const DAY = 86_400_000;
const TO = new Date('2026-11-28T12:00:00Z');
const FROM = new Date(TO.getTime() - 190 * DAY);
/** Where the sandbox began: the histories end there. */
const BEGAN = new Date(TO.getTime() - 2 * 3_600_000);

const service = (
  name: string,
  team: string,
  leadsUpTo = '27.35.10',
): HistoryService => ({
  entityRef: `component:default/${name}`,
  name,
  team,
  endsAt: BEGAN,
  leadsUpTo,
  patchRadix: 100,
});
const services: HistoryService[] = [
  service('cart', 'team-up'),
  service('search', 'team-up', '3.0.4'),
  service('ledger', 'team-down'),
  { ...service('fx', 'team-down', '1.4.2'), patchRadix: 10 },
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

  it('gives the same deployments, with the same versions, to any later reading', () => {
    const later = sandboxHistory(
      services,
      {
        from: new Date(FROM.getTime() + 30 * DAY),
        to: new Date(TO.getTime() + 9 * DAY),
      },
      options,
    );
    const before = new Map(history.deployments.map(d => [d.id, d]));
    expect(later.deployments.length).toBeGreaterThan(100);
    for (const d of later.deployments) expect(before.get(d.id)).toEqual(d);
  });

  it('leads up to the version deployed when the sandbox began, one version after the other', () => {
    for (const s of services) {
      const own = history.deployments.filter(d => d.entityRef === s.entityRef);
      expect(own.length).toBeGreaterThan(20);
      const last = own[own.length - 1];
      expect(last).toMatchObject({
        version: s.leadsUpTo,
        outcome: 'succeeded',
      });
      for (let i = 1; i < own.length; i++) {
        expect(own[i - 1].deployedAt.getTime()).toBeLessThanOrEqual(
          own[i].deployedAt.getTime(),
        );
        expect(own[i - 1].version).toBe(
          versionBefore(own[i].version!, s.patchRadix),
        );
      }
      // Everything finished before the sandbox began.
      for (const d of own) {
        expect(d.finishedAt!.getTime()).toBeLessThanOrEqual(BEGAN.getTime());
      }
    }
    expect(
      history.incidents.every(i => i.openedAt.getTime() < BEGAN.getTime()),
    ).toBe(true);
  });

  it('stops at 0.0.0 for a young service', () => {
    const young = sandboxHistory(
      [{ ...service('young', 'team-up', '0.1.2'), patchRadix: 10 }],
      { from: FROM, to: TO },
      options,
    );
    expect(young.deployments.map(d => d.version).slice(0, 3)).toEqual([
      '0.0.0',
      '0.0.1',
      '0.0.2',
    ]);
    expect(young.deployments).toHaveLength(13);
  });

  it.each([
    ['27.35.10', 100, '27.35.9'],
    ['27.35.0', 100, '27.34.99'],
    ['27.0.0', 100, '26.99.99'],
    ['1.4.0', 10, '1.3.9'],
    ['1.0.0-rc.1', 10, '0.99.9'],
    ['0.0.0', 10, undefined],
    ['next', 10, undefined],
  ])('counts down from %s (patch radix %s) to %s', (version, radix, before) => {
    expect(versionBefore(version, radix)).toBe(before);
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
    const start = BEGAN.getTime() - 182 * DAY;
    const first = measures(history, refs, start, start + 56 * DAY);
    const last = measures(
      history,
      refs,
      BEGAN.getTime() - 56 * DAY,
      BEGAN.getTime(),
    );
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
