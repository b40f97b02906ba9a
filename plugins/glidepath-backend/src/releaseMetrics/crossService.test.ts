import {
  CrossServiceReleaseFact,
  crossServiceFacts,
  groupReleases,
  linkedServices,
  measurePlanned,
  servicesToRead,
} from './crossService';

const T0 = Date.UTC(2026, 5, 1, 9); // a Monday, 09:00 UTC
const HOUR = 3_600_000;

// web depends on cart and requires checkout; cart depends on inventory;
// search is linked to nothing.
const linked = linkedServices([
  { from: 'web', to: 'cart' },
  { from: 'web', to: 'checkout' },
  { from: 'cart', to: 'inventory' },
]);

let n = 0;
/** A release: `service@hours` after T0, with its plan after a slash. */
function r(spec: string): CrossServiceReleaseFact {
  const [release, planId] = spec.split('/');
  const [entityRef, hours] = release.split('@');
  n++;
  return {
    id: `d${String(n).padStart(3, '0')}`,
    entityRef,
    deployedAt: T0 + Number(hours) * HOUR,
    planId: planId ?? null,
  };
}

/** The groups as `service+service(plan)` words, in order. */
function grouped(specs: string[]): string[] {
  return groupReleases(specs.map(r), linked).map(
    g => `${g.entityRefs.join('+')}${g.planId ? `(${g.planId})` : ''}`,
  );
}

describe('linkedServices', () => {
  it('links both directions, not a service to itself', () => {
    const map = linkedServices([
      { from: 'a', to: 'b' },
      { from: 'a', to: 'a' },
    ]);
    expect([...map.get('a')!]).toEqual(['b']);
    expect([...map.get('b')!]).toEqual(['a']);
  });
});

describe('groupReleases', () => {
  it.each<[string, string[], string[]]>([
    ['one release', ['web@0'], ['web']],
    [
      'a dependency and its dependent the same morning',
      ['web@0', 'cart@2'],
      ['cart+web'],
    ],
    [
      'the link counts either direction (the dependency first)',
      ['cart@0', 'web@1'],
      ['cart+web'],
    ],
    [
      'a version requirement is a link',
      ['checkout@0', 'web@3'],
      ['checkout+web'],
    ],
    [
      'unlinked services are not one release',
      ['web@0', 'search@1'],
      ['web', 'search'],
    ],
    [
      'services linked only through a third one that did not release',
      ['checkout@0', 'cart@1'],
      ['checkout', 'cart'],
    ],
    [
      'a chain through a third one that released',
      ['checkout@0', 'web@1', 'cart@2', 'inventory@3'],
      ['cart+checkout+inventory+web'],
    ],
    ['exactly one day apart', ['web@0', 'cart@24'], ['cart+web']],
    ['more than one day apart', ['web@0', 'cart@24.5'], ['web', 'cart']],
    [
      'the day counts from the first release, not the last (no chaining)',
      ['web@0', 'cart@20', 'inventory@30'],
      ['cart+web', 'inventory'],
    ],
    [
      'a second release of a service starts a group of its own',
      ['web@0', 'cart@1', 'web@2'],
      ['cart+web', 'web'],
    ],
    [
      'a service released hourly joins one group a day at most',
      ['web@0', 'web@1', 'web@2', 'cart@3'],
      ['cart+web', 'web', 'web'],
    ],
    [
      'every release a member of one plan: through the plan',
      ['inventory@0/p1', 'cart@1/p1', 'web@2/p1'],
      ['cart+inventory+web(p1)'],
    ],
    [
      'one release outside the plan: not through a plan',
      ['inventory@0/p1', 'cart@1/p1', 'web@2'],
      ['cart+inventory+web'],
    ],
    [
      'a release outside a plan joins a group of a plan: not through it',
      ['cart@0/p1', 'web@1/p1', 'checkout@2'],
      ['cart+checkout+web'],
    ],
    [
      "a plan's releases group with their plan's only",
      ['cart@0/p1', 'web@1/p2'],
      ['cart(p1)', 'web(p2)'],
    ],
    [
      "a plan's release joins its plan's group rather than an earlier one",
      ['web@0', 'cart@1/p1', 'web@2/p1'],
      ['web', 'cart+web(p1)'],
    ],
    [
      'a plan of one service is not a cross-service release',
      ['search@0/p1', 'web@1'],
      ['search(p1)', 'web'],
    ],
    [
      'same time: ordered by service, so the result does not depend on input order',
      ['web@0', 'cart@0'],
      ['cart+web'],
    ],
  ])('%s', (_name, specs, expected) => {
    expect(grouped(specs)).toEqual(expected);
    // The same, whatever order the store returns them in.
    expect(grouped([...specs].reverse())).toEqual(expected);
  });

  it('starts each group at its first release', () => {
    const groups = groupReleases(
      ['cart@5', 'web@3', 'search@1'].map(r),
      linked,
    );
    expect(groups.map(g => g.startedAt)).toEqual([T0 + HOUR, T0 + 3 * HOUR]);
  });
});

describe('crossServiceFacts and measurePlanned', () => {
  const groups = groupReleases(
    [
      'inventory@0/p1',
      'cart@1/p1', // cart+inventory through p1
      'web@30',
      'checkout@31', // checkout+web, not planned
      'search@40', // alone
      'web@60/p2',
      'cart@61/p2', // cart+web through p2
    ].map(r),
    linked,
  );

  it.each<[string, string[] | undefined, object]>([
    [
      'the organisation',
      undefined,
      { crossServiceReleases: 3, planned: 2, share: 2 / 3 },
    ],
    [
      "a team owning cart: the two with cart's releases",
      ['cart'],
      { crossServiceReleases: 2, planned: 2, share: 1 },
    ],
    [
      'a team owning checkout',
      ['checkout'],
      { crossServiceReleases: 1, planned: 0, share: 0 },
    ],
    [
      'a team owning only search: none, so no share',
      ['search'],
      { crossServiceReleases: 0, planned: 0, share: null },
    ],
  ])('%s', (_name, scope, expected) => {
    expect(
      measurePlanned(
        crossServiceFacts(groups, scope ? new Set(scope) : undefined),
      ),
    ).toEqual(expected);
  });
});

describe('servicesToRead', () => {
  it.each<[string, string[] | undefined, string[]]>([
    [
      'every linked service for the organisation',
      undefined,
      ['cart', 'checkout', 'inventory', 'web'],
    ],
    ['a scope and its linked services', ['cart'], ['cart', 'inventory', 'web']],
    ['nothing for a scope without links', ['search'], []],
  ])('%s', (_name, scope, expected) => {
    expect(servicesToRead(linked, scope)).toEqual(expected);
  });
});

describe('groupReleases at the scale of an organisation', () => {
  it('groups 100 linked services released every two hours for two months quickly', () => {
    const refs = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const chain = linkedServices(
      refs.slice(1).map((ref, i) => ({ from: ref, to: refs[i] })),
    );
    const releases: CrossServiceReleaseFact[] = [];
    for (let hour = 0; hour < 61 * 24; hour += 2) {
      for (const [i, ref] of refs.entries()) {
        releases.push({
          id: `${ref}-${hour}`,
          entityRef: ref,
          deployedAt: T0 + hour * HOUR + i * 1000,
          planId: null,
        });
      }
    }
    const start = performance.now();
    const groups = groupReleases(releases, chain);
    const ms = performance.now() - start;
    // Every release in exactly one group, each service once per group.
    expect(groups.reduce((sum, g) => sum + g.releases.length, 0)).toBe(
      releases.length,
    );
    for (const g of groups) {
      expect(new Set(g.releases.map(x => x.entityRef)).size).toBe(
        g.releases.length,
      );
      const times = g.releases.map(x => x.deployedAt);
      expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(
        86_400_000,
      );
    }
    // 73,200 releases: the whole chain releases together every two hours.
    expect(groups.filter(g => g.entityRefs.length === 100)).toHaveLength(732);
    expect(ms).toBeLessThan(10_000);
  });
});
