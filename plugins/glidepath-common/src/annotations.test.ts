import {
  isGlidepathAvailable,
  parseRolloutAnnotation,
  parseStrategyAnnotation,
  readGlidepathAnnotations,
} from './annotations';

describe('parseRolloutAnnotation', () => {
  it.each([
    [
      'sandbox:checkout-service',
      { provider: 'sandbox', ref: 'checkout-service' },
    ],
    [' sandbox:cart ', { provider: 'sandbox', ref: 'cart' }],
    [
      'argo-rollouts:prod-eu/shop/checkout',
      { provider: 'argo-rollouts', ref: 'prod-eu/shop/checkout' },
    ],
  ])('reads %j', (value, expected) => {
    expect(parseRolloutAnnotation(value)).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each([
    ['checkout-service', 'has no ":"'],
    ['sandbox:', 'needs a reference after the ":"'],
    ['Sandbox:cart', '"Sandbox" is not a provider id'],
    ['9lives:cart', '"9lives" is not a provider id'],
    [':cart', '"" is not a provider id'],
  ])('reports %j with the reason', (value, reason) => {
    expect(parseRolloutAnnotation(value)).toEqual({
      ok: false,
      problem: {
        annotation: 'glidepath.dev/rollout',
        value,
        message: expect.stringContaining(reason),
      },
    });
  });
});

describe('parseStrategyAnnotation', () => {
  it.each([
    ['canary', { strategy: 'canary', weights: [10, 25, 50, 100] }],
    ['canary:5,20,60', { strategy: 'canary', weights: [5, 20, 60, 100] }],
    ['canary:20,100', { strategy: 'canary', weights: [20, 100] }],
    ['blue-green', { strategy: 'blue_green' }],
    ['Blue-Green', { strategy: 'blue_green' }],
    ['rolling', { strategy: 'rolling' }],
  ])('reads %j', (value, expected) => {
    expect(parseStrategyAnnotation(value)).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each([
    ['canary:10,abc', 'canary weight "abc" is not a percentage'],
    ['canary:0,50', 'canary weight "0" is not a percentage'],
    ['canary:10,150', 'canary weight "150" is not a percentage'],
    ['canary:50,25', 'must increase; 25 follows 50'],
    ['linear', 'unknown strategy "linear"'],
  ])('reports %j with the reason', (value, reason) => {
    expect(parseStrategyAnnotation(value)).toEqual({
      ok: false,
      problem: {
        annotation: 'glidepath.dev/strategy',
        value,
        message: expect.stringContaining(reason),
      },
    });
  });
});

describe('readGlidepathAnnotations', () => {
  it('collects every problem instead of stopping at the first', () => {
    const result = readGlidepathAnnotations({
      metadata: {
        annotations: {
          'glidepath.dev/rollout': 'nocolon',
          'glidepath.dev/strategy': 'sideways',
        },
      },
    });
    expect(result.rollout).toBeUndefined();
    expect(result.problems.map(p => p.annotation)).toEqual([
      'glidepath.dev/rollout',
      'glidepath.dev/strategy',
    ]);
  });

  it('reads valid annotations and reports none for an unannotated entity', () => {
    expect(
      readGlidepathAnnotations({
        metadata: {
          annotations: {
            'glidepath.dev/rollout': 'sandbox:cart',
            'glidepath.dev/strategy': 'blue-green',
          },
        },
      }),
    ).toEqual({
      // The single form is the production target.
      rollout: {
        environment: 'production',
        provider: 'sandbox',
        ref: 'cart',
        implied: true,
      },
      rollouts: [
        {
          environment: 'production',
          provider: 'sandbox',
          ref: 'cart',
          implied: true,
        },
      ],
      strategy: { strategy: 'blue_green' },
      problems: [],
    });
    expect(readGlidepathAnnotations({ metadata: {} })).toEqual({
      problems: [],
    });
  });

  it.each([
    [{ 'glidepath.dev/rollout': 'sandbox:x' }, true],
    [{ 'glidepath.dev/rollout': 'broken' }, true],
    [{ 'glidepath.dev/strategy': 'canary' }, false],
    [undefined, false],
  ])('isGlidepathAvailable(%j) is %s', (annotations, expected) => {
    expect(isGlidepathAvailable({ metadata: { annotations } })).toBe(expected);
  });
});
