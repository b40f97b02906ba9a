import { c, latest } from './__testUtils__/graphFixtures';
import {
  checkRequirement,
  deploymentOf,
  deploymentsByEntity,
  sameDeployments,
} from './deployments';

describe('deploymentOf', () => {
  it.each([
    ['succeeded', '2.0.0', null],
    ['progressing', '1.9.0', '2.0.0'],
    ['paused', '1.9.0', '2.0.0'],
    ['pending', '1.9.0', '2.0.0'],
    ['rolled_back', '1.9.0', null],
    ['aborted', '1.9.0', null],
    ['failed', '1.9.0', null],
  ] as const)('%s runs %s (releasing %s)', (phase, version, releasing) => {
    const d = deploymentOf(
      latest('a', '2.0.0', phase, { previousVersion: '1.9.0' }),
    );
    expect([d.version, d.releasingVersion]).toEqual([version, releasing]);
  });
});

describe('checkRequirement', () => {
  const requirement = { entityRef: c('p'), range: '^2.3', text: 'p@^2.3' };
  const deployment = (environment: string, version: string | null) => ({
    environment,
    version,
    releaseId: 'r',
    releasePhase: 'succeeded' as const,
    releasingVersion: null,
    simulated: false,
  });
  it.each([
    [[], 'unknown'],
    [[deployment('production', '2.4.0')], 'satisfied'],
    [
      [deployment('production', '2.4.0'), deployment('staging', '3.0.0')],
      'broken',
    ],
    [[deployment('production', 'abc123')], 'unknown'],
    [[deployment('production', null)], 'unknown'],
  ])('case %# -> %s', (deployments, status) => {
    expect(checkRequirement(requirement, deployments).status).toBe(status);
  });
});

describe('sameDeployments', () => {
  const d = deploymentOf(latest('payments', '2.4.1'));
  it.each([
    ['the same fields', [d], [{ ...d }], true],
    ['none on both sides', [], [], true],
    ['another version', [d], [{ ...d, version: '2.4.2' }], false],
    ['another release', [d], [{ ...d, releaseId: 'x' }], false],
    [
      'a release in progress',
      [d],
      [{ ...d, releasingVersion: '3.0.0' }],
      false,
    ],
    ['one more environment', [d], [d, { ...d, environment: 'staging' }], false],
  ])('%s', (_, a, b, same) => {
    expect(sameDeployments(a, b)).toBe(same);
  });
});

describe('deploymentsByEntity', () => {
  const releases = ['production', 'zeta', 'staging', 'dev', 'alpha'].map(
    environment =>
      latest('a', `1.0.0-${environment}`, 'succeeded', { environment }),
  );
  const environmentsOf = (
    environments?: Parameters<typeof deploymentsByEntity>[1],
  ) =>
    deploymentsByEntity(releases, environments)
      .get(c('a'))!
      .deployments.map(d => [d.environment, d.version]);

  it("lists a node's environments in promotion order, unknown ones after", () => {
    expect(
      environmentsOf([
        { name: 'dev', production: false },
        { name: 'staging', production: false },
        { name: 'production', production: true },
      ]),
    ).toEqual([
      ['dev', '1.0.0-dev'],
      ['staging', '1.0.0-staging'],
      ['production', '1.0.0-production'],
      ['alpha', '1.0.0-alpha'],
      ['zeta', '1.0.0-zeta'],
    ]);
  });

  it('lists them alphabetically without the config', () => {
    expect(environmentsOf().map(([e]) => e)).toEqual([
      'alpha',
      'dev',
      'production',
      'staging',
      'zeta',
    ]);
  });
});
