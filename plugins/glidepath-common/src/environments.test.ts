import { readGlidepathAnnotations } from './annotations';
import {
  DEFAULT_ENVIRONMENTS,
  EnvironmentDefinition,
  environmentsProblem,
  parseRolloutTargets,
  productionRollout,
  sortEnvironments,
} from './environments';

const annotation = 'glidepath.dev/rollout';
const environments = DEFAULT_ENVIRONMENTS;
const threeStages: EnvironmentDefinition[] = [
  { name: 'dev', production: false },
  { name: 'qa', production: false },
  { name: 'prod', production: true },
];

describe('parseRolloutTargets', () => {
  it.each<[string, readonly EnvironmentDefinition[] | undefined, unknown[]]>([
    [
      'sandbox:cart-service',
      environments,
      [
        {
          environment: 'production',
          provider: 'sandbox',
          ref: 'cart-service',
          implied: true,
        },
      ],
    ],
    // The single form means the first production environment of the config.
    [
      'sandbox:cart-service',
      threeStages,
      [
        {
          environment: 'prod',
          provider: 'sandbox',
          ref: 'cart-service',
          implied: true,
        },
      ],
    ],
    [
      'sandbox:cart-service',
      undefined,
      [
        {
          environment: 'production',
          provider: 'sandbox',
          ref: 'cart-service',
          implied: true,
        },
      ],
    ],
    [
      'staging=sandbox:cart-staging;production=sandbox:cart-service',
      environments,
      [
        { environment: 'staging', provider: 'sandbox', ref: 'cart-staging' },
        { environment: 'production', provider: 'sandbox', ref: 'cart-service' },
      ],
    ],
    // Written out of order: the configured order wins.
    [
      ' production = sandbox:cart-service ;\n staging=sandbox:cart-staging; ',
      environments,
      [
        { environment: 'staging', provider: 'sandbox', ref: 'cart-staging' },
        { environment: 'production', provider: 'sandbox', ref: 'cart-service' },
      ],
    ],
    // Without the config the order written is kept.
    [
      'prod=argo-rollouts:eu/shop/cart\nqa=argo-rollouts:qa/shop/cart',
      undefined,
      [
        { environment: 'prod', provider: 'argo-rollouts', ref: 'eu/shop/cart' },
        { environment: 'qa', provider: 'argo-rollouts', ref: 'qa/shop/cart' },
      ],
    ],
    // A "=" after the provider's ":" belongs to its reference.
    [
      'sandbox:cart?zone=eu',
      environments,
      [
        {
          environment: 'production',
          provider: 'sandbox',
          ref: 'cart?zone=eu',
          implied: true,
        },
      ],
    ],
    [
      'staging=sandbox:cart',
      environments,
      [{ environment: 'staging', provider: 'sandbox', ref: 'cart' }],
    ],
  ])('reads %j', (value, envs, targets) => {
    expect(
      parseRolloutTargets(value, { annotation, environments: envs }),
    ).toEqual({ targets, problems: [] });
  });

  it.each<
    [
      string,
      readonly EnvironmentDefinition[] | undefined,
      string[],
      [string, string][],
    ]
  >([
    // An unknown environment is a problem naming it; the others are kept.
    [
      'staging=sandbox:cart-staging;qa=sandbox:cart-qa;production=sandbox:cart',
      environments,
      ['staging', 'production'],
      [
        [
          'qa=sandbox:cart-qa',
          '"qa" is not one of the organisation\'s environments (staging, production',
        ],
      ],
    ],
    [
      'staging=sandbox:a;staging=sandbox:b',
      environments,
      ['staging'],
      [['staging=sandbox:b', 'the environment "staging" is named twice']],
    ],
    [
      'sandbox:a;staging=sandbox:b',
      environments,
      ['staging'],
      [['sandbox:a', '"sandbox:a" names no environment']],
    ],
    [
      'Staging=sandbox:a;production=sandbox:b',
      environments,
      ['production'],
      [['Staging=sandbox:a', '"Staging" is not an environment name']],
    ],
    [
      'staging=cart;production=sandbox:b',
      environments,
      ['production'],
      [['staging=cart', 'staging: expected "<provider>:<ref>"']],
    ],
    [
      'staging=sandbox:;production=Sandbox:b',
      environments,
      [],
      [
        [
          'staging=sandbox:',
          'staging: the provider "sandbox" needs a reference',
        ],
        ['production=Sandbox:b', 'production: "Sandbox" is not a provider id'],
      ],
    ],
    [
      'staging=sandbox:cart;production=sandbox:cart',
      environments,
      ['staging'],
      [
        [
          'production=sandbox:cart',
          '"sandbox:cart" is already the target of staging',
        ],
      ],
    ],
    // Without the config no environment is unknown.
    ['qa=sandbox:cart', undefined, ['qa'], []],
    [' ; ', environments, [], [[' ; ', 'names no rollout target']]],
    // The single form reports the annotation as written, as it always did.
    [
      'checkout-service ',
      environments,
      [],
      [['checkout-service ', 'has no ":"']],
    ],
  ])(
    'reports the entries of %j that cannot be used',
    (value, envs, kept, expected) => {
      const result = parseRolloutTargets(value, {
        annotation,
        environments: envs,
      });
      expect(result.targets.map(t => t.environment)).toEqual(kept);
      expect(result.problems).toEqual(
        expected.map(([entry, message]) => ({
          annotation,
          value: entry,
          message: expect.stringContaining(message),
        })),
      );
    },
  );
});

describe('productionRollout', () => {
  const staging = { environment: 'staging', provider: 'sandbox', ref: 'a' };
  const production = {
    environment: 'production',
    provider: 'sandbox',
    ref: 'b',
  };
  const prod = { environment: 'prod', provider: 'sandbox', ref: 'c' };
  it.each([
    [[staging, production], environments, production],
    [[staging, production], undefined, production],
    [[staging], environments, staging],
    [[prod], threeStages, prod],
    [[], environments, undefined],
  ])(
    'of %j is the production one, else the last',
    (rollouts, envs, expected) => {
      expect(productionRollout(rollouts, envs)).toEqual(expected);
    },
  );
});

describe('sortEnvironments', () => {
  it('follows the configured order, unknown names last and alphabetically', () => {
    expect(
      sortEnvironments(['prod', 'zeta', 'dev', 'alpha', 'qa'], threeStages),
    ).toEqual(['dev', 'qa', 'prod', 'alpha', 'zeta']);
  });
});

describe('environmentsProblem', () => {
  it.each([[[...DEFAULT_ENVIRONMENTS]], [threeStages]])('%j is fine', envs => {
    expect(environmentsProblem(envs)).toBeUndefined();
  });

  it.each<[EnvironmentDefinition[], string]>([
    [[], 'name at least one environment'],
    [[{ name: 'Prod', production: true }], '"Prod" is not an environment name'],
    [
      [
        { name: 'prod', production: true },
        { name: 'prod', production: false },
      ],
      '"prod" is named twice',
    ],
    [
      [{ name: 'staging', production: false }],
      'mark at least one environment as production',
    ],
  ])('%j: %s', (envs, expected) => {
    expect(environmentsProblem(envs)).toContain(expected);
  });
});

describe('readGlidepathAnnotations with environments', () => {
  const entity = (rollout: string) => ({
    metadata: { annotations: { [annotation]: rollout } },
  });

  it('keeps the single form as the production target', () => {
    const read = readGlidepathAnnotations(entity('sandbox:cart-service'), {
      environments,
    });
    expect(read.rollout).toEqual({
      environment: 'production',
      provider: 'sandbox',
      ref: 'cart-service',
      implied: true,
    });
    expect(read.rollouts).toEqual([read.rollout]);
    expect(read.problems).toEqual([]);
  });

  it('reads every target, production as the rollout, and reports the unknown environment', () => {
    const read = readGlidepathAnnotations(
      entity(
        'staging=sandbox:cart-staging;perf=sandbox:cart-perf;production=sandbox:cart',
      ),
      { environments },
    );
    expect(read.rollouts?.map(r => r.ref)).toEqual(['cart-staging', 'cart']);
    expect(read.rollout?.ref).toBe('cart');
    expect(read.problems).toEqual([
      {
        annotation,
        value: 'perf=sandbox:cart-perf',
        message: expect.stringContaining('"perf" is not one of'),
      },
    ]);
  });

  it('has no rollout when no entry can be used', () => {
    const read = readGlidepathAnnotations(entity('qa=sandbox:cart'), {
      environments,
    });
    expect(read.rollout).toBeUndefined();
    expect(read.rollouts).toBeUndefined();
    expect(read.problems).toHaveLength(1);
  });
});
