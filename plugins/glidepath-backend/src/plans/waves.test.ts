import type { GraphCheckResult } from '@glidepath/backstage-plugin-common';
import { graphProblems, normaliseMembers, planWaves } from './waves';

const m = (entityRef: string, environment = 'production') => ({
  entityRef,
  version: '2.0.0',
  environment,
  fix: false,
});

describe('normaliseMembers', () => {
  it.each([
    [
      [{ entityRef: 'Cart', version: ' 2.0.0 ', environment: 'production' }],
      { members: [m('component:default/cart')] },
    ],
    [
      [
        {
          entityRef: 'component:shop/Cart',
          version: '2',
          environment: 'staging',
          fix: true,
        },
      ],
      {
        members: [
          {
            entityRef: 'component:shop/cart',
            version: '2',
            environment: 'staging',
            fix: true,
          },
        ],
      },
    ],
    [
      [{ entityRef: 'component:', version: '1', environment: 'production' }],
      { problem: expect.stringContaining('members[0].entityRef') },
    ],
    [
      [{ entityRef: 'cart', version: ' ', environment: 'production' }],
      { problem: 'members[0].version is empty' },
    ],
    [
      [
        { entityRef: 'cart', version: '1', environment: 'production' },
        {
          entityRef: 'component:default/cart',
          version: '2',
          environment: 'production',
        },
      ],
      {
        problem: expect.stringContaining(
          'members[1]: component:default/cart in production is already members[0]',
        ),
      },
    ],
    [
      [
        { entityRef: 'cart', version: '1', environment: 'staging' },
        { entityRef: 'cart', version: '1', environment: 'production' },
      ],
      {
        members: [
          m('component:default/cart', 'staging'),
          m('component:default/cart'),
        ].map(x => ({ ...x, version: '1' })),
      },
    ],
  ])('%j', (members, expected) => {
    expect(normaliseMembers(members)).toEqual(expected);
  });
});

describe('planWaves', () => {
  const members = ['a', 'b', 'c', 'd'].map(n => m(`component:default/${n}`));
  it.each([
    [
      'one wave per layer, dependencies first',
      [
        ['component:default/c'],
        ['component:default/a', 'component:default/d'],
        ['component:default/b'],
      ],
      [1, 2, 0, 1],
    ],
    [
      'empty layers left out',
      [
        ['component:default/x'],
        ['component:default/a', 'component:default/b'],
        ['component:default/c', 'component:default/d'],
      ],
      [0, 0, 1, 1],
    ],
    [
      'everything at once without an order (an overridden cycle)',
      null,
      [0, 0, 0, 0],
    ],
  ])('%s', (_, layers, waves) => {
    expect(planWaves(members, layers)).toEqual(waves);
  });
});

describe('graphProblems', () => {
  it('names cycles, broken and unjudgeable requirements and missing entities', () => {
    const check = {
      missing: ['component:default/ghost'],
      unknown: [
        {
          from: 'component:default/web',
          to: 'component:default/api',
          text: 'api@^2',
          proposedVersion: 'banana',
          message: '"banana" is not a semantic version',
        },
      ],
      broken: [
        { message: 'component:default/web requires api@^2: 3.0.0 is not ^2' },
      ],
      releaseOrder: {
        layers: null,
        cycles: [['component:default/a', 'component:default/b']],
      },
      blastRadius: [],
    } as unknown as GraphCheckResult;
    expect(graphProblems(check)).toEqual({
      missing: ['component:default/ghost'],
      unjudgeable: [
        'component:default/api banana: "banana" is not a semantic version (component:default/web requires api@^2)',
      ],
      blocking: [
        'a dependency cycle: component:default/a → component:default/b → component:default/a',
        'component:default/web requires api@^2: 3.0.0 is not ^2',
      ],
    });
  });
});
