import {
  servedToEveryone,
  statusFlagKey,
  targetingSummary,
  variationLabel,
  type LdFlag,
  type LdFlagConfig,
} from './mapping';

const boolean: LdFlag = {
  key: 'f',
  name: 'f',
  kind: 'boolean',
  creationDate: 0,
  variations: [{ value: true }, { value: false }],
  temporary: true,
  tags: [],
  archived: false,
};
const multi: LdFlag = {
  ...boolean,
  kind: 'multivariate',
  variations: [
    { value: 'a', name: 'Blue' },
    { value: { b: 1 } },
    { value: 'c', name: 'Green' },
  ],
};
const base: LdFlagConfig = {
  on: true,
  fallthrough: { variation: 0 },
  offVariation: 1,
};

describe('servedToEveryone and targetingSummary', () => {
  it.each<[string, LdFlag, LdFlagConfig, number | undefined, string]>([
    ['on, default only', boolean, base, 0, "on, serving 'true' to everyone"],
    ['off', boolean, { ...base, on: false }, 1, "off, serving 'false'"],
    [
      'off without an off variation',
      boolean,
      { on: false },
      undefined,
      'off, serving the default in code',
    ],
    [
      'a rollout at 100% of one variation',
      boolean,
      {
        ...base,
        fallthrough: {
          rollout: {
            variations: [
              { variation: 1, weight: 100000 },
              { variation: 0, weight: 0 },
            ],
          },
        },
      },
      1,
      "on, serving 'false' to everyone",
    ],
    [
      'a 50/50 rollout',
      multi,
      {
        ...base,
        fallthrough: {
          rollout: {
            variations: [
              { variation: 0, weight: 50000 },
              { variation: 2, weight: 50000 },
            ],
          },
        },
      },
      undefined,
      "on, default a percentage rollout (50% 'Blue', 50% 'Green')",
    ],
    [
      'a rule serving the same variation as the default',
      boolean,
      { ...base, rules: [{ variation: 0 }] },
      0,
      "on, serving 'true' to everyone",
    ],
    [
      'a rule serving another variation',
      multi,
      { ...base, rules: [{ variation: 1 }, { variation: 2 }] },
      undefined,
      "on, 2 rules, default 'Blue'",
    ],
    [
      'individual targets with no one in them',
      boolean,
      { ...base, targets: [{ values: [], variation: 1 }] },
      0,
      "on, serving 'true' to everyone",
    ],
    [
      'context targets on another variation',
      boolean,
      {
        ...base,
        contextTargets: [
          { values: ['k'], variation: 1 },
          { values: ['j'], variation: 1 },
        ],
      },
      undefined,
      "on, 2 individual targets, default 'true'",
    ],
    [
      'a prerequisite (which serves the off variation when it fails)',
      boolean,
      { ...base, prerequisites: [{ key: 'p', variation: 0 }] },
      undefined,
      "on, default 'true'",
    ],
    [
      'a prerequisite whose off variation is the default too',
      boolean,
      { ...base, offVariation: 0, prerequisites: [{ key: 'p', variation: 0 }] },
      0,
      "on, serving 'true' to everyone",
    ],
    [
      'on without a default rule',
      boolean,
      { on: true },
      undefined,
      'on, default the default in code',
    ],
    [
      'a variation index out of range',
      boolean,
      { ...base, fallthrough: { variation: 5 } },
      undefined,
      "on, default 'variation 5'",
    ],
  ])('%s', (_, flag, config, everyone, summary) => {
    expect(servedToEveryone(flag, config)).toBe(everyone);
    expect(targetingSummary(flag, config)).toBe(summary);
  });
});

describe('variationLabel', () => {
  it.each<[LdFlag, number, string | undefined]>([
    [boolean, 0, 'true'],
    [boolean, 1, 'false'],
    [multi, 0, 'Blue'],
    [multi, 1, '{"b":1}'],
    [multi, 9, undefined],
  ])('%#: variation %i is %j', (flag, index, label) => {
    expect(variationLabel(flag, index)).toBe(label);
  });
});

describe('statusFlagKey', () => {
  it.each([
    [
      {
        name: 'new',
        _links: { parent: { href: '/api/v2/flags/web-app/new-checkout' } },
      },
      'new-checkout',
    ],
    [
      {
        name: 'new',
        _links: { parent: { href: '/api/v2/flags/web-app/a%20b?x=1' } },
      },
      'a b',
    ],
    [{ name: 'new' }, undefined],
  ])('%j: %j', (status, key) => {
    expect(statusFlagKey(status)).toBe(key);
  });
});
