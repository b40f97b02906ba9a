import type { Drill } from '@glidepath/backstage-plugin-common';
import {
  describeDrill,
  parseFollowUps,
  recoveryTrend,
  splitGameDays,
} from './gameDays';

const NOW = Date.parse('2026-12-06T12:00:00.000Z');
const iso = (minutesAgo: number) =>
  new Date(NOW - minutesAgo * 60_000).toISOString();

const drill = (patch: Partial<Drill>): Drill => ({
  id: 'd1',
  entityRef: 'component:default/cart',
  environment: 'staging',
  fault: 'error-rate',
  gameDayId: null,
  provider: 'sandbox',
  simulated: true,
  reason: 'x',
  requestedBy: { kind: 'user', ref: 'user:default/ada' },
  requestedAt: iso(130),
  productionOverride: null,
  state: 'waiting',
  stateReason: null,
  releaseId: null,
  version: null,
  injectedAt: null,
  detectedAt: null,
  rollbackDecidedAt: null,
  rolledBackAt: null,
  healthyAt: null,
  notifiedAt: null,
  timeToDetectSeconds: null,
  timeToRecoverSeconds: null,
  finishedAt: null,
  ...patch,
});

describe('describeDrill', () => {
  it.each([
    [
      drill({}),
      'Drill asked for 2h ago (error rate fault in staging): waiting for the next release to carry it',
    ],
    [
      drill({ state: 'running', version: '2.4.0', injectedAt: iso(5) }),
      'Drill running (error rate fault in staging): 2.4.0 started 5m ago, not detected yet',
    ],
    [
      drill({
        state: 'recovered',
        injectedAt: iso(120),
        detectedAt: iso(119),
        timeToDetectSeconds: 40,
        timeToRecoverSeconds: 90,
      }),
      'Last drill 2h ago (error rate fault in staging): detected in 40s, healthy again after 1m 30s',
    ],
    [
      drill({
        state: 'not_detected',
        stateReason: '2.4.0 completed with the fault',
      }),
      'Last drill 2h ago (error rate fault in staging): not rolled back: 2.4.0 completed with the fault',
    ],
    [
      drill({ state: 'refused', stateReason: 'production', fault: 'latency' }),
      'Last drill 2h ago (latency fault in staging): did not run: production',
    ],
  ])('%#', (d, text) => {
    expect(describeDrill(d, NOW)).toBe(text);
  });
});

describe('recoveryTrend', () => {
  const p = (m: number | null) => ({
    from: '',
    to: '',
    drills: m === null ? 0 : 1,
    medianDetectSeconds: null,
    medianRecoverSeconds: m,
  });
  it.each([
    [[p(null), p(null), p(90)], 'Too few drills for a trend'],
    [[p(120), p(null), p(90)], 'Faster: recovers in 1m 30s, was 2m'],
    [[p(null), p(60), p(90)], 'Slower: recovers in 1m 30s, was 1m'],
    [[p(100), p(105)], 'Steady: recovers in 1m 45s'],
  ])('%j', (periods, text) => {
    expect(recoveryTrend(periods)).toBe(text);
  });
});

describe('parseFollowUps', () => {
  it.each([
    ['', { followUps: [] }],
    [
      'Fix the pager | https://tracker/GP-1\n\nhttps://wiki/postmortem',
      {
        followUps: [
          { title: 'Fix the pager', url: 'https://tracker/GP-1' },
          { title: 'https://wiki/postmortem', url: 'https://wiki/postmortem' },
        ],
      },
    ],
    [
      'a | https://x\nno link here',
      { error: 'Follow-up 2 needs a link (https://…): "no link here"' },
    ],
  ])('%j', (text, expected) => {
    expect(parseFollowUps(text)).toEqual(expected);
  });
});

describe('splitGameDays', () => {
  it('puts scheduled ones first, soonest first, and the others latest first', () => {
    const g = (id: string, state: string, at: string) =>
      ({ id, state, scheduledAt: at } as any);
    const { upcoming, past } = splitGameDays([
      g('a', 'finished', '2026-12-01T00:00:00Z'),
      g('b', 'scheduled', '2026-12-20T00:00:00Z'),
      g('c', 'running', '2026-12-05T00:00:00Z'),
      g('d', 'scheduled', '2026-12-10T00:00:00Z'),
    ]);
    expect(upcoming.map(x => x.id)).toEqual(['d', 'b']);
    expect(past.map(x => x.id)).toEqual(['c', 'a']);
  });
});
