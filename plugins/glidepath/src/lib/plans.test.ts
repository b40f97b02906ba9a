import { makeRelease } from '../__testUtils__/releases';
import { makePlan, makeWave } from '../__testUtils__/plans';
import {
  controlUnavailable,
  filterInFlight,
  inFlightFilterOptions,
  isPlanActive,
  readableRefs,
  membersByWave,
  planWaitingFor,
  wavesProgress,
} from './plans';

describe('plans', () => {
  it.each([
    ['scheduled', true],
    ['running', true],
    ['paused', true],
    ['rolling_back', true],
    ['succeeded', false],
    ['failed', false],
    ['rolled_back', false],
    ['aborted', false],
  ] as const)('a %s plan is active: %s', (state, active) => {
    expect(isPlanActive({ state })).toBe(active);
  });

  it.each([
    [[], '0 of 0 waves done'],
    [[makeWave()], '1 of 1 wave done'],
    [[makeWave(), makeWave({ state: 'releasing' })], '1 of 2 waves done'],
    [
      [makeWave({ state: 'rolled_back' }), makeWave({ state: 'failed' })],
      '0 of 2 waves done, 1 rolled back',
    ],
  ])('counts waves done: %j', (waves, text) => {
    expect(wavesProgress({ waves })).toBe(text);
  });

  it('groups members by wave in order, sorted by ref', () => {
    const plan = makePlan();
    plan.members.push({
      ...plan.members[1],
      entityRef: 'component:default/a-service',
    });
    expect(
      membersByWave(plan).map(w => [w.index, w.members.map(m => m.entityRef)]),
    ).toEqual([
      [0, ['component:default/inventory-service']],
      [
        1,
        ['component:default/a-service', 'component:default/checkout-service'],
      ],
      [2, ['component:default/storefront']],
    ]);
  });

  it('says what the plan waits for: the current wave, a pause, the start', () => {
    expect(planWaitingFor(makePlan())).toBe(
      'Wave 2 waits for the soak time: 5 min after the wave completed',
    );
    expect(
      planWaitingFor(
        makePlan({
          state: 'paused',
          stateReason: 'DB migration running',
        }),
      ),
    ).toBe('Paused: DB migration running');
    expect(
      planWaitingFor(
        makePlan({ state: 'scheduled', currentWave: null, waves: [] }),
      ),
    ).toMatch(/^Starts /);
    expect(planWaitingFor(makePlan({ state: 'succeeded' }))).toBeUndefined();
  });

  it.each([
    ['running', 'pause', undefined],
    ['running', 'resume', 'The plan is not paused.'],
    ['paused', 'pause', 'The plan is paused already.'],
    ['paused', 'resume', undefined],
    ['paused', 'abort', undefined],
    ['rolling_back', 'abort', 'A rollback is running; it is not aborted.'],
    ['rolling_back', 'pause', 'A rollback is running; it is not paused.'],
    ['succeeded', 'pause', 'The plan has finished (succeeded).'],
    ['aborted', 'freeze-override', 'The plan has finished (aborted).'],
    ['running', 'freeze-override', undefined],
    [
      'rolling_back',
      'freeze-override',
      'A rollback is running, and freezes never hold a rollback.',
    ],
  ] as const)('a %s plan: %s is %s', (state, control, why) => {
    expect(controlUnavailable({ state, freezeOverride: null }, control)).toBe(
      why,
    );
  });

  it('refuses a second freeze override', () => {
    expect(
      controlUnavailable(
        {
          state: 'running',
          freezeOverride: {
            by: { kind: 'user', ref: 'user:default/admin' },
            reason: 'hotfix',
            at: '2026-12-07T10:00:00Z',
            problems: [],
          },
        },
        'freeze-override',
      ),
    ).toBe('The plan already goes on during freezes.');
  });

  it('filters releases in flight by team, system and environment', () => {
    const items = [
      {
        release: makeRelease({
          id: 'a',
          entityRef: 'component:default/checkout-service',
        }),
        entityTitle: null,
        owner: { ref: 'group:default/team-checkout', title: 'Checkout' },
      },
      {
        release: makeRelease({
          id: 'b',
          entityRef: 'component:default/cart-service',
          environment: 'staging',
        }),
        entityTitle: null,
        owner: { ref: 'group:default/team-cart', title: null },
      },
      {
        release: makeRelease({
          id: 'c',
          entityRef: 'component:default/search',
        }),
        entityTitle: null,
        owner: null,
      },
    ];
    const systems = new Map([
      ['component:default/checkout-service', 'system:default/shop'],
      ['component:default/cart-service', 'system:default/shop'],
    ]);
    const ids = (filters: Parameters<typeof filterInFlight>[1]) =>
      filterInFlight(items, filters, systems).map(i => i.release.id);
    expect(ids({})).toEqual(['a', 'b', 'c']);
    expect(ids({ owner: 'group:default/team-cart' })).toEqual(['b']);
    expect(ids({ system: 'system:default/shop' })).toEqual(['a', 'b']);
    expect(ids({ environment: 'production' })).toEqual(['a', 'c']);
    expect(
      ids({ system: 'system:default/shop', environment: 'production' }),
    ).toEqual(['a']);
    expect(inFlightFilterOptions(items, systems)).toEqual({
      owners: [
        { value: 'group:default/team-checkout', label: 'Checkout' },
        { value: 'group:default/team-cart', label: 'team-cart' },
      ],
      systems: ['system:default/shop'],
      environments: ['production', 'staging'],
    });
  });

  it.each([
    [
      'Starting component:default/pricing-service 9.1.0 in production',
      'Starting pricing-service 9.1.0 in production',
    ],
    [
      'component:default/cart-service: no passed rollback test',
      'cart-service: no passed rollback test',
    ],
    ['component:shop/cart-service waits', 'component:shop/cart-service waits'],
    ['resource:default/orders-db@^16', 'orders-db@^16'],
  ])('names entities by their names: %s', (text, readable) => {
    expect(readableRefs(text)).toBe(readable);
  });
});
