import { readGlidepathAnnotations } from './annotations';
import { checkVersion, parseRequiresAnnotation } from './requirements';

describe('parseRequiresAnnotation', () => {
  it.each([
    [
      'component:default/payments@>=2.3.0 <3',
      [
        {
          entityRef: 'component:default/payments',
          range: '>=2.3.0 <3',
          text: 'component:default/payments@>=2.3.0 <3',
        },
      ],
    ],
    [
      'payments@^2.3, resource:orders-db@~14.2\n Component:Shop/Cart@*',
      [
        {
          entityRef: 'component:default/payments',
          range: '^2.3',
          text: 'payments@^2.3',
        },
        {
          entityRef: 'resource:default/orders-db',
          range: '~14.2',
          text: 'resource:orders-db@~14.2',
        },
        {
          entityRef: 'component:shop/cart',
          range: '*',
          text: 'Component:Shop/Cart@*',
        },
      ],
    ],
    [
      'a@1.x || >=3.1.0',
      [expect.objectContaining({ range: '1.x || >=3.1.0' })],
    ],
  ])('reads %j', (value, requirements) => {
    expect(parseRequiresAnnotation(value)).toEqual({
      requirements,
      problems: [],
    });
  });

  it('uses the entity namespace as the default', () => {
    expect(
      parseRequiresAnnotation('payments@^2', { defaultNamespace: 'shop' })
        .requirements[0].entityRef,
    ).toBe('component:shop/payments');
  });

  it.each([
    ['payments', 'payments', 'has no "@<range>"'],
    ['payments@', 'payments@', 'has no range after the "@"'],
    ['payments@>=two', 'payments@>=two', '">=two" is not a semver range'],
    ['a:b:c/d@^1', 'a:b:c/d@^1', '"a:b:c/d" is not an entity reference'],
    [' , ', ' , ', 'lists no requirement'],
    [
      'payments@^2, component:default/payments@^3',
      'component:default/payments@^3',
      'already required by "payments@^2"',
    ],
  ])('reports %j with the offending text', (value, text, reason) => {
    expect(parseRequiresAnnotation(value).problems).toEqual([
      {
        annotation: 'glidepath.dev/requires',
        value: text,
        message: expect.stringContaining(reason),
      },
    ]);
  });

  it('keeps the entries that parse next to the problems', () => {
    const parsed = parseRequiresAnnotation('payments@^2, orders@nope, cart@1');
    expect(parsed.requirements.map(r => r.entityRef)).toEqual([
      'component:default/payments',
      'component:default/cart',
    ]);
    expect(parsed.problems).toHaveLength(1);
  });

  it('is part of the entity annotations, problems included', () => {
    const read = readGlidepathAnnotations({
      metadata: {
        namespace: 'shop',
        annotations: { 'glidepath.dev/requires': 'payments@^2, x@bad' },
      },
    });
    expect(read.requires).toEqual([
      {
        entityRef: 'component:shop/payments',
        range: '^2',
        text: 'payments@^2',
      },
    ]);
    expect(read.problems).toEqual([
      expect.objectContaining({
        annotation: 'glidepath.dev/requires',
        value: 'x@bad',
      }),
    ]);
  });
});

describe('checkVersion', () => {
  it.each([
    ['2.3.0', '>=2.3.0 <3', 'satisfied'],
    ['v2.4.1', '^2.3', 'satisfied'],
    ['2.2.9', '>=2.3.0 <3', 'broken'],
    ['3.0.0', '>=2.3.0 <3', 'broken'],
    ['2.4.0-rc.1', '^2.3', 'broken'],
    ['2.4.0-rc.1', '>=2.4.0-rc.0', 'satisfied'],
    ['1.0.0', '*', 'satisfied'],
    ['abc123f', '^2', 'unknown'],
    [null, '^2', 'unknown'],
    ['', '^2', 'unknown'],
    ['2.0.0', 'not a range', 'unknown'],
  ])('%j against %j is %s', (version, range, status) => {
    expect(checkVersion(version, range).status).toBe(status);
  });

  it('says why', () => {
    expect(checkVersion('2.2.0', '>=2.3')).toEqual({
      status: 'broken',
      message: '2.2.0 does not satisfy >=2.3',
    });
    expect(checkVersion('abc123f', '^2')).toEqual({
      status: 'unknown',
      message:
        'abc123f is not a semver version, so it cannot be checked against ^2',
    });
  });
});
