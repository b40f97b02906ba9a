import { flagCoverage } from './coverage';

const H = 60 * 60 * 1000;
const cart = 'component:default/cart';
const pay = 'component:default/pay';
const owners = new Map([
  [cart, 'group:default/team-cart'],
  [pay, 'group:default/team-pay'],
]);

describe('flagCoverage', () => {
  it.each<[string, number[], boolean]>([
    ['a flag made between the first commit and the deployment', [5 * H], true],
    ['a flag changed exactly at the first commit', [2 * H], true],
    ['a flag changed exactly at the deployment', [10 * H], true],
    ['a flag made before the first commit', [1 * H], false],
    ['a flag made after the deployment', [11 * H], false],
    ['no flag', [], false],
  ])('%s: behind a flag %s', (_name, times, behind) => {
    const result = flagCoverage(
      [{ entityRef: cart, firstCommitAt: 2 * H, deployedAt: 10 * H }],
      new Map([[cart, times]]),
      owners,
    );
    expect(result.organisation).toEqual({
      releases: 1,
      behindFlags: behind ? 1 : 0,
      share: behind ? 1 : 0,
    });
  });

  it('counts per team and for the organisation, against the 80% target, teams furthest from it first', () => {
    const result = flagCoverage(
      [
        { entityRef: cart, firstCommitAt: 0, deployedAt: 10 * H },
        { entityRef: cart, firstCommitAt: 20 * H, deployedAt: 30 * H },
        { entityRef: pay, firstCommitAt: 0, deployedAt: 10 * H },
        { entityRef: pay, firstCommitAt: 40 * H, deployedAt: 50 * H },
        { entityRef: pay, firstCommitAt: 60 * H, deployedAt: 70 * H },
        {
          entityRef: 'component:default/orphan',
          firstCommitAt: 0,
          deployedAt: H,
        },
        // A first commit after the deployment (clock skew) does not count.
        { entityRef: cart, firstCommitAt: 90 * H, deployedAt: 80 * H },
      ],
      new Map([
        [cart, [5 * H, 25 * H]],
        [pay, [45 * H]],
      ]),
      owners,
    );
    expect(result.target).toBe(0.8);
    expect(result.organisation).toEqual({
      releases: 6,
      behindFlags: 3,
      share: 0.5,
    });
    expect(result.teams).toEqual([
      { owner: null, releases: 1, behindFlags: 0, share: 0 },
      {
        owner: 'group:default/team-pay',
        releases: 3,
        behindFlags: 1,
        share: 1 / 3,
      },
      {
        owner: 'group:default/team-cart',
        releases: 2,
        behindFlags: 2,
        share: 1,
      },
    ]);
  });

  it('has no share without releases', () => {
    expect(flagCoverage([], new Map(), owners).organisation).toEqual({
      releases: 0,
      behindFlags: 0,
      share: null,
    });
  });
});
