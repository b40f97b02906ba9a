import type { FlagState } from '@glidepath/backstage-plugin-common';
import type { ObservedFlagEnvironment } from '@glidepath/backstage-plugin-node';
import {
  assessFlag,
  DEFAULT_FLAG_RULES,
  flagLifetimeDays,
  flagOwner,
  GovernedFlag,
  latestEvaluation,
  servedEverywhere,
} from './rules';

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (days: number) =>
  new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);

/** Evaluated an hour ago in both environments, split traffic. */
const busy: ObservedFlagEnvironment[] = [
  { environment: 'development', enabled: true, lastEvaluatedAt: daysAgo(0.04) },
  { environment: 'production', enabled: true, lastEvaluatedAt: daysAgo(0.04) },
];

function flag(overrides: Partial<GovernedFlag>): GovernedFlag {
  return { createdAt: daysAgo(1), environments: busy, ...overrides };
}

describe('flagLifetimeDays', () => {
  it.each<[Partial<GovernedFlag>, number | null]>([
    [{ type: 'release' }, 40],
    [{ type: 'experiment' }, 40],
    [{ type: 'operational' }, 7],
    [{ type: 'kill-switch' }, null],
    [{ type: 'permission' }, null],
    [{ type: 'Release' }, 40],
    [{}, 90],
    [{ temporary: true }, 90],
    [{ temporary: false }, null],
    [{ type: 'custom-type' }, 90],
    [{ type: 'custom-type', temporary: false }, null],
    [{ type: 'release', temporary: false }, 40],
    [{ type: 'kill-switch', temporary: true }, 90],
  ])('%j lives %j days', (overrides, expected) => {
    expect(flagLifetimeDays(flag(overrides), DEFAULT_FLAG_RULES)).toBe(
      expected,
    );
  });

  it('follows configured lifetimes', () => {
    const rules = {
      ...DEFAULT_FLAG_RULES,
      lifetimes: new Map([
        ['release', 21],
        ['kill-switch', null],
      ]),
      temporaryLifetimeDays: 60,
    };
    expect(flagLifetimeDays({ type: 'release' }, rules)).toBe(21);
    expect(flagLifetimeDays({ type: 'operational' }, rules)).toBe(60);
    expect(flagLifetimeDays({ type: 'kill-switch' }, rules)).toBe(null);
  });
});

describe('latestEvaluation', () => {
  it.each<[string, Partial<GovernedFlag>, Date | null | undefined]>([
    ['the latest environment', { environments: busy }, daysAgo(0.04)],
    [
      'a date over a never',
      {
        environments: [
          { environment: 'a', enabled: true, lastEvaluatedAt: null },
          { environment: 'b', enabled: true, lastEvaluatedAt: daysAgo(3) },
        ],
      },
      daysAgo(3),
    ],
    [
      'never when no environment saw it',
      {
        environments: [
          { environment: 'a', enabled: true, lastEvaluatedAt: null },
          { environment: 'b', enabled: true },
        ],
      },
      null,
    ],
    [
      'unknown when no one can tell',
      { environments: [{ environment: 'a', enabled: true }] },
      undefined,
    ],
    [
      "the flag's own date when later",
      {
        lastEvaluatedAt: daysAgo(1),
        environments: [
          { environment: 'a', enabled: true, lastEvaluatedAt: daysAgo(5) },
        ],
      },
      daysAgo(1),
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(latestEvaluation(flag(overrides))).toEqual(expected);
  });
});

describe('servedEverywhere', () => {
  const env = (
    environment: string,
    servesEveryone?: string,
    servingSince?: Date,
  ): ObservedFlagEnvironment => ({
    environment,
    enabled: servesEveryone !== 'false',
    servesEveryone,
    servingSince,
  });
  it.each<[string, Partial<GovernedFlag>, unknown]>([
    [
      'one variation, since the latest change',
      {
        environments: [
          env('a', 'true', daysAgo(20)),
          env('b', 'true', daysAgo(9)),
        ],
      },
      { variation: 'true', since: daysAgo(9) },
    ],
    [
      "off everywhere, since the flag's last change when an environment cannot tell",
      {
        updatedAt: daysAgo(30),
        environments: [env('a', 'false', daysAgo(40)), env('b', 'false')],
      },
      { variation: 'false', since: daysAgo(30) },
    ],
    [
      'one variation, since unknown',
      { environments: [env('a', 'blue'), env('b', 'blue')] },
      { variation: 'blue', since: null },
    ],
    [
      'different variations',
      {
        environments: [
          env('a', 'true', daysAgo(20)),
          env('b', 'false', daysAgo(20)),
        ],
      },
      null,
    ],
    [
      'a split environment',
      { environments: [env('a', 'true', daysAgo(20)), env('b')] },
      null,
    ],
    ['no environments', { environments: [] }, null],
  ])('%s', (_name, overrides, expected) => {
    expect(servedEverywhere(flag(overrides))).toEqual(expected);
  });
});

describe('assessFlag', () => {
  const launchedEnvs = (since: Date): ObservedFlagEnvironment[] => [
    {
      environment: 'development',
      enabled: true,
      lastEvaluatedAt: daysAgo(0.1),
      servesEveryone: 'true',
      servingSince: since,
    },
    {
      environment: 'production',
      enabled: true,
      lastEvaluatedAt: daysAgo(0.1),
      servesEveryone: 'true',
      servingSince: since,
    },
  ];
  const neverSeen: ObservedFlagEnvironment[] = [
    { environment: 'production', enabled: true, lastEvaluatedAt: null },
  ];

  it.each<[string, Partial<GovernedFlag>, FlagState, string]>([
    [
      'a new release flag',
      { type: 'release', createdAt: daysAgo(10) },
      'fresh',
      'stale on 2026-12-31',
    ],
    [
      'a release flag in its last week',
      { type: 'release', createdAt: daysAgo(34) },
      'due_soon',
      'lifetime 40 days',
    ],
    [
      'a release flag at 40 days',
      { type: 'release', createdAt: daysAgo(40) },
      'stale',
      'past its lifetime of 40 days',
    ],
    [
      'an experiment at 52 days',
      { type: 'experiment', createdAt: daysAgo(52) },
      'stale',
      'experiment flag, 52 days old',
    ],
    [
      'an operational flag at 3 days',
      { type: 'operational', createdAt: daysAgo(3) },
      'fresh',
      'lifetime 7 days',
    ],
    [
      'an operational flag at 4 days (due in the second half)',
      { type: 'operational', createdAt: daysAgo(4) },
      'due_soon',
      'lifetime 7 days',
    ],
    [
      'an operational flag at 8 days',
      { type: 'operational', createdAt: daysAgo(8) },
      'stale',
      'since 2026-11-30',
    ],
    [
      'a kill switch at 400 days',
      { type: 'kill-switch', createdAt: daysAgo(400) },
      'permanent',
      'permanent by its type',
    ],
    [
      'a permission flag never evaluated',
      { type: 'permission', createdAt: daysAgo(400), environments: neverSeen },
      'permanent',
      'permanent',
    ],
    [
      'a flag not marked temporary',
      { temporary: false, createdAt: daysAgo(400) },
      'permanent',
      'not marked temporary',
    ],
    [
      'a temporary flag at 80 days',
      { temporary: true, createdAt: daysAgo(80) },
      'fresh',
      'lifetime 90 days',
    ],
    [
      'a temporary flag at 85 days',
      { temporary: true, createdAt: daysAgo(85) },
      'due_soon',
      'lifetime 90 days',
    ],
    [
      'a temporary flag at 91 days',
      { temporary: true, createdAt: daysAgo(91) },
      'stale',
      'past its lifetime of 90 days',
    ],
    [
      'a typeless flag at 120 days',
      { createdAt: daysAgo(120) },
      'stale',
      'flag, 120 days old',
    ],
    [
      'a release flag served to everyone for 8 days',
      {
        type: 'release',
        createdAt: daysAgo(20),
        environments: launchedEnvs(daysAgo(8)),
      },
      'launched',
      "serving 'true' everywhere since 2026-11-23",
    ],
    [
      'a release flag served to everyone for 6 days',
      {
        type: 'release',
        createdAt: daysAgo(20),
        environments: launchedEnvs(daysAgo(6)),
      },
      'fresh',
      'stale on',
    ],
    [
      'a stale flag that is also launched',
      {
        type: 'release',
        createdAt: daysAgo(60),
        environments: launchedEnvs(daysAgo(30)),
      },
      'stale',
      'past its lifetime',
    ],
    [
      'a release flag not evaluated for 31 days',
      {
        type: 'release',
        createdAt: daysAgo(35),
        environments: [
          {
            environment: 'production',
            enabled: true,
            lastEvaluatedAt: daysAgo(31),
          },
        ],
      },
      'inactive',
      'not evaluated since 2026-10-31',
    ],
    [
      'a release flag not evaluated for 29 days',
      {
        type: 'release',
        createdAt: daysAgo(20),
        environments: [
          {
            environment: 'production',
            enabled: true,
            lastEvaluatedAt: daysAgo(29),
          },
        ],
      },
      'fresh',
      'stale on',
    ],
    [
      'a flag never evaluated, 31 days old',
      { createdAt: daysAgo(31), environments: neverSeen },
      'inactive',
      'never evaluated',
    ],
    [
      'a flag never evaluated, 2 days old',
      { createdAt: daysAgo(2), environments: neverSeen },
      'fresh',
      'stale on',
    ],
    [
      'a flag whose evaluations nobody knows',
      {
        createdAt: daysAgo(60),
        environments: [{ environment: 'production', enabled: true }],
      },
      'fresh',
      'stale on',
    ],
    [
      'launched by the provider in every environment',
      {
        temporary: true,
        createdAt: daysAgo(20),
        environments: [
          { environment: 'production', enabled: true, status: 'launched' },
          { environment: 'test', enabled: true, status: 'Launched' },
        ],
      },
      'launched',
      'launched in every environment',
    ],
    [
      'launched by the provider in only one environment',
      {
        temporary: true,
        createdAt: daysAgo(20),
        environments: [
          { environment: 'production', enabled: true, status: 'launched' },
          { environment: 'test', enabled: true, status: 'active' },
        ],
      },
      'fresh',
      'stale on',
    ],
    [
      'inactive by the provider everywhere',
      {
        temporary: true,
        createdAt: daysAgo(20),
        environments: [
          { environment: 'production', enabled: true, status: 'inactive' },
        ],
      },
      'inactive',
      'flag, 20 days old',
    ],
  ])('%s', (_name, overrides, state, reason) => {
    const result = assessFlag(flag(overrides), DEFAULT_FLAG_RULES, NOW);
    expect(result.state).toBe(state);
    expect(result.reason).toContain(reason);
  });

  it('gives the lifetime, the date it goes stale and the age', () => {
    expect(
      assessFlag(
        flag({ type: 'release', createdAt: daysAgo(52.5) }),
        DEFAULT_FLAG_RULES,
        NOW,
      ),
    ).toMatchObject({
      state: 'stale',
      ageDays: 52,
      lifetimeDays: 40,
      staleAt: daysAgo(12.5),
      inactive: false,
      launched: false,
    });
  });

  it('follows the configured windows', () => {
    const rules = {
      ...DEFAULT_FLAG_RULES,
      dueSoonDays: 14,
      inactiveAfterDays: 7,
      launchedAfterDays: 30,
    };
    expect(
      assessFlag(flag({ type: 'release', createdAt: daysAgo(27) }), rules, NOW)
        .state,
    ).toBe('due_soon');
    expect(
      assessFlag(
        flag({
          type: 'release',
          createdAt: daysAgo(10),
          environments: [
            { environment: 'p', enabled: true, lastEvaluatedAt: daysAgo(8) },
          ],
        }),
        rules,
        NOW,
      ).state,
    ).toBe('inactive');
    expect(
      assessFlag(
        flag({
          type: 'release',
          createdAt: daysAgo(20),
          environments: launchedEnvs(daysAgo(10)),
        }),
        rules,
        NOW,
      ).state,
    ).toBe('fresh');
  });
});

describe('flagOwner', () => {
  it.each([
    [
      'group:default/team-a',
      'ann@example.com',
      { owner: 'group:default/team-a', source: 'catalog' },
    ],
    [
      undefined,
      'ann@example.com',
      { owner: 'ann@example.com', source: 'provider' },
    ],
    [
      '  ',
      ' ann@example.com ',
      { owner: 'ann@example.com', source: 'provider' },
    ],
    [undefined, undefined, { owner: null, source: null }],
  ])('entity owner %j, maintainer %j', (entityOwner, maintainer, expected) => {
    expect(flagOwner(entityOwner, maintainer)).toEqual(expected);
  });
});
