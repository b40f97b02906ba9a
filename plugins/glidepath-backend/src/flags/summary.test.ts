import { FlagFact, summarizeFlags } from './summary';

const NOW = new Date('2026-12-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

function fact(patch: Partial<FlagFact>): FlagFact {
  return {
    entityRef: 'component:default/checkout',
    owner: 'group:default/team-cart',
    state: 'fresh',
    createdAt: ago(5),
    staleAt: ago(-35),
    ...patch,
  };
}

describe('summarizeFlags', () => {
  const facts = [
    fact({}),
    fact({ state: 'stale', createdAt: ago(60), staleAt: ago(20) }),
    fact({ state: 'stale', createdAt: ago(100), staleAt: ago(60) }),
    fact({
      owner: 'group:default/team-pay',
      state: 'stale',
      createdAt: ago(50),
      staleAt: ago(10),
    }),
    fact({
      owner: 'group:default/team-pay',
      state: 'permanent',
      createdAt: ago(400),
      staleAt: null,
    }),
    fact({
      owner: 'group:default/team-pay',
      state: 'fresh',
      createdAt: ago(1),
    }),
    fact({
      owner: null,
      state: 'launched',
      createdAt: ago(20),
      staleAt: ago(-20),
    }),
  ];
  const summary = summarizeFlags(facts, NOW);

  it('counts states and ranks teams by stale flags, then by flags', () => {
    expect(summary.total).toBe(7);
    expect(summary.counts).toEqual({
      fresh: 2,
      stale: 3,
      permanent: 1,
      launched: 1,
    });
    expect(summary.teams.map(t => [t.owner, t.stale, t.total])).toEqual([
      ['group:default/team-cart', 2, 3],
      ['group:default/team-pay', 1, 3],
      [null, 0, 1],
    ]);
  });

  it('puts flags into age buckets', () => {
    expect(
      Object.fromEntries(summary.ages.map(a => [a.label, a.count])),
    ).toEqual({
      '< 2 weeks': 2,
      '2-6 weeks': 1,
      '6 wk-3 mo': 2,
      '3-6 months': 1,
      '6-12 months': 0,
      '> 1 year': 1,
    });
  });

  it("follows today's flags' debt back over 26 weeks", () => {
    expect(summary.debt).toHaveLength(26);
    expect(summary.debt[25]).toEqual({
      weekEnding: '2026-12-01',
      flags: 7,
      stale: 3,
    });
    // Three weeks ago: the flags made in the last 20 days did not exist;
    // of the others only the one stale since 60 days was stale then.
    expect(summary.debt[22]).toEqual({
      weekEnding: '2026-11-10',
      flags: 4,
      stale: 1,
    });
    // Half a year ago only the 400-day-old flag existed.
    expect(summary.debt[0]).toEqual({
      weekEnding: '2026-06-09',
      flags: 1,
      stale: 0,
    });
  });

  it('counts the flags of simulated providers', () => {
    expect(
      summarizeFlags(
        facts.map((f, i) => ({ ...f, simulated: i % 2 === 0 })),
        NOW,
      ).simulated,
    ).toBe(Math.ceil(facts.length / 2));
    expect(summary.simulated).toBe(0);
  });

  it('is empty without flags', () => {
    expect(summarizeFlags([], NOW)).toMatchObject({
      total: 0,
      simulated: 0,
      counts: {},
      teams: [],
    });
  });
});
