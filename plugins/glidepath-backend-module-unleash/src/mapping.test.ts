import {
  flagMatchesTarget,
  mapUnleashFeature,
  type UnleashSearchFeature,
} from './mapping';

/** A flag as Unleash 7.5's search answered it in the real-server test. */
const feature: UnleashSearchFeature = {
  name: 'checkout-ab-price',
  project: 'default',
  type: 'experiment',
  description: null,
  stale: true,
  createdAt: '2026-11-06T16:00:00.000Z',
  archivedAt: null,
  lastSeenAt: '2026-12-06T16:40:12.000Z',
  createdBy: { id: 1, name: 'admin' },
  environments: [
    {
      name: 'development',
      type: 'development',
      enabled: true,
      lastSeenAt: '2026-12-06T16:40:12.000Z',
      hasStrategies: true,
      hasEnabledStrategies: true,
    },
    {
      name: 'production',
      type: 'production',
      enabled: false,
      lastSeenAt: null,
      hasStrategies: false,
      hasEnabledStrategies: false,
    },
  ],
  tags: [
    { type: 'simple', value: 'cart' },
    { type: 'team', value: 'growth' },
  ],
  lifecycle: { stage: 'pre-live', enteredStageAt: '2026-12-06T16:40:12.000Z' },
};

describe('mapUnleashFeature', () => {
  it('maps what the search gives', () => {
    expect(mapUnleashFeature(feature, 'https://unleash.example.com')).toEqual({
      key: 'checkout-ab-price',
      name: 'checkout-ab-price',
      project: 'default',
      type: 'experiment',
      createdAt: new Date('2026-11-06T16:00:00.000Z'),
      createdBy: 'admin',
      environments: [
        {
          environment: 'development',
          type: 'development',
          enabled: true,
          lastEvaluatedAt: new Date('2026-12-06T16:40:12.000Z'),
          summary: 'on, by its strategies',
        },
        {
          environment: 'production',
          type: 'production',
          enabled: false,
          lastEvaluatedAt: null,
          servesEveryone: 'false',
          summary: 'off',
        },
      ],
      lastEvaluatedAt: new Date('2026-12-06T16:40:12.000Z'),
      lifecycle: 'pre-live',
      providerStale: true,
      tags: ['simple:cart', 'team:growth'],
      archived: false,
      url: 'https://unleash.example.com/projects/default/features/checkout-ab-price',
    });
  });

  it.each([
    ['never seen', { lastSeenAt: null }, { lastEvaluatedAt: null }],
    [
      'no lastSeenAt field',
      { lastSeenAt: undefined },
      { lastEvaluatedAt: undefined },
    ],
    ['archived', { archivedAt: '2026-12-01T00:00:00Z' }, { archived: true }],
    [
      'no lifecycle (an older Unleash)',
      { lifecycle: null },
      { lifecycle: undefined },
    ],
    ['no tags', { tags: null }, { tags: [] }],
    ['no creator', { createdBy: null }, { createdBy: undefined }],
    [
      'a description',
      { description: 'Pricing test' },
      { description: 'Pricing test' },
    ],
  ])('%s', (_, change, expected) => {
    const mapped = mapUnleashFeature({ ...feature, ...change }, 'https://u');
    for (const [key, value] of Object.entries(expected)) {
      expect(mapped[key as keyof typeof mapped]).toEqual(value);
    }
  });

  it.each([
    [true, true, 'on, by its strategies', undefined],
    [true, false, 'on, with no enabled strategy', undefined],
    [false, true, 'off', 'false'],
    [false, false, 'off', 'false'],
  ])(
    'an environment enabled %s with enabled strategies %s is "%s", serving everyone %s',
    (enabled, hasEnabledStrategies, summary, servesEveryone) => {
      const [env] = mapUnleashFeature(
        {
          ...feature,
          environments: [{ name: 'production', enabled, hasEnabledStrategies }],
        },
        'https://u',
      ).environments;
      expect(env.summary).toBe(summary);
      expect(env.servesEveryone).toBe(servesEveryone);
    },
  );

  it('names the flag when createdAt cannot be read', () => {
    expect(() =>
      mapUnleashFeature({ ...feature, createdAt: 'yesterday' }, 'https://u'),
    ).toThrow(
      'Unleash gave the flag checkout-ab-price an unreadable createdAt: "yesterday"',
    );
  });
});

describe('flagMatchesTarget', () => {
  const flag = { project: 'default', tags: ['simple:cart', 'team:growth'] };
  it.each([
    [{ project: 'default', tags: [] }, true],
    [{ project: 'other', tags: [] }, false],
    [{ project: 'default', tags: ['simple:cart'] }, true],
    [{ project: 'default', tags: ['simple:payments', 'team:growth'] }, true],
    [{ project: 'default', tags: ['simple:growth'] }, false],
    [{ project: 'other', tags: ['simple:cart'] }, false],
  ])('%j: %s', (target, expected) => {
    expect(flagMatchesTarget(flag, target)).toBe(expected);
  });
});
