import {
  isGlidepathFlagsAvailable,
  parseFlagsAnnotation,
  readGlidepathAnnotations,
} from './annotations';

describe('parseFlagsAnnotation', () => {
  it.each([
    [
      'unleash:checkout?tags=cart, launchdarkly:web-app',
      [
        { provider: 'unleash', ref: 'checkout?tags=cart' },
        { provider: 'launchdarkly', ref: 'web-app' },
      ],
    ],
    [
      'unleash:checkout?tags=simple:cart&tags=simple:web',
      [
        {
          provider: 'unleash',
          ref: 'checkout?tags=simple:cart&tags=simple:web',
        },
      ],
    ],
    [
      ' sandbox:checkout-service \n unleash:default ,',
      [
        { provider: 'sandbox', ref: 'checkout-service' },
        { provider: 'unleash', ref: 'default' },
      ],
    ],
    [
      'unleash:checkout, unleash:payments',
      [
        { provider: 'unleash', ref: 'checkout' },
        { provider: 'unleash', ref: 'payments' },
      ],
    ],
  ])('reads %j', (value, expected) => {
    const result = parseFlagsAnnotation(value);
    expect(result.problems).toEqual([]);
    expect(
      result.targets.map(({ provider, ref }) => ({ provider, ref })),
    ).toEqual(expected);
  });

  it.each([
    ['checkout', 'checkout', 'has no ":"'],
    ['unleash:', 'unleash:', 'needs a reference after the ":"'],
    ['Unleash:checkout', 'Unleash:checkout', '"Unleash" is not a provider id'],
    [':checkout', ':checkout', '"" is not a provider id'],
    ['unleash:check out', 'unleash:check out', 'contains a space'],
    ['unleash:?tags=cart', 'unleash:?tags=cart', 'no name before the "?"'],
    ['unleash:checkout?tags', 'unleash:checkout?tags', '"tags" in'],
    ['unleash:checkout?=cart', 'unleash:checkout?=cart', '"=cart" in'],
    ['unleash:checkout?tags=', 'unleash:checkout?tags=', '"tags=" in'],
    [' , ', ' , ', 'names no flags'],
  ])('reports %j on the entry %j: %s', (value, entry, reason) => {
    expect(parseFlagsAnnotation(value)).toEqual({
      targets: [],
      problems: [
        {
          annotation: 'glidepath.dev/flags',
          value: entry,
          message: expect.stringContaining(reason),
        },
      ],
    });
  });

  it('keeps the good entries and reports each bad one by its text', () => {
    const result = parseFlagsAnnotation(
      'unleash:checkout?tags=cart, nocolon, launchdarkly:web-app, unleash:checkout?tags=cart, Bad:x',
    );
    expect(result.targets.map(t => t.text)).toEqual([
      'unleash:checkout?tags=cart',
      'launchdarkly:web-app',
    ]);
    expect(result.problems.map(p => [p.value, p.message])).toEqual([
      ['nocolon', expect.stringContaining('has no ":"')],
      ['unleash:checkout?tags=cart', expect.stringContaining('is named twice')],
      ['Bad:x', expect.stringContaining('"Bad" is not a provider id')],
    ]);
  });
});

describe('the flags annotation on an entity', () => {
  it('is read with the other annotations, its problems among theirs', () => {
    const result = readGlidepathAnnotations({
      metadata: {
        annotations: {
          'glidepath.dev/rollout': 'sandbox:cart',
          'glidepath.dev/flags': 'sandbox:cart, unleash',
        },
      },
    });
    expect(result.flags).toEqual([
      { provider: 'sandbox', ref: 'cart', text: 'sandbox:cart' },
    ]);
    expect(result.problems).toEqual([
      {
        annotation: 'glidepath.dev/flags',
        value: 'unleash',
        message: expect.stringContaining('has no ":"'),
      },
    ]);
  });

  it.each([
    [{ 'glidepath.dev/flags': 'unleash:checkout' }, true],
    [{ 'glidepath.dev/flags': '  ' }, false],
    [{ 'glidepath.dev/rollout': 'sandbox:cart' }, false],
    [undefined, false],
  ])('%j has flags: %s', (annotations, expected) => {
    expect(isGlidepathFlagsAvailable({ metadata: { annotations } })).toBe(
      expected,
    );
  });
});
