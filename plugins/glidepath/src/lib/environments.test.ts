import type {
  EnvironmentRelease,
  Release,
} from '@glidepath/backstage-plugin-common';
import { makeRelease } from '../__testUtils__/releases';
import { environmentsSentence, environmentState } from './environments';

function environment(
  name: string,
  current: Partial<Release> | null,
): EnvironmentRelease {
  return {
    name,
    production: name === 'production',
    provider: 'sandbox',
    ref: name,
    current: current && makeRelease({ environment: name, ...current }),
  };
}

describe('environmentState', () => {
  it.each<[Partial<Release> | null, string]>([
    [null, 'no release yet'],
    [{ phase: 'succeeded', version: '2.4.0', canaryWeight: 100 }, 'runs 2.4.0'],
    [
      {
        phase: 'progressing',
        previousVersion: '2.3.1',
        version: '2.4.0',
        canaryWeight: 25,
      },
      '2.3.1 → 2.4.0, canary at 25%',
    ],
    [
      {
        phase: 'paused',
        previousVersion: '2.3.1',
        version: '2.4.0',
        canaryWeight: 50,
      },
      '2.3.1 → 2.4.0, canary at 50%, paused',
    ],
    [
      {
        phase: 'progressing',
        previousVersion: null,
        version: '1.0.0',
        canaryWeight: 10,
      },
      '1.0.0, canary at 10%',
    ],
    [
      {
        phase: 'progressing',
        strategy: 'blue_green',
        previousVersion: '1.0.0',
        version: '1.1.0',
        canaryWeight: 0,
      },
      '1.0.0 → 1.1.0, preview, no traffic yet',
    ],
    [
      {
        phase: 'progressing',
        strategy: 'rolling',
        previousVersion: '1.0.0',
        version: '1.1.0',
        canaryWeight: 75,
      },
      '1.0.0 → 1.1.0, 75% rolled out',
    ],
    [
      {
        phase: 'pending',
        previousVersion: '1.0.0',
        version: '1.1.0',
        canaryWeight: 0,
      },
      '1.0.0 → 1.1.0, canary at 0%, pending',
    ],
    [
      {
        phase: 'rolled_back',
        previousVersion: '2.3.1',
        version: '2.4.0',
        canaryWeight: 0,
      },
      'runs 2.3.1 (2.4.0 rolled back)',
    ],
    [
      {
        phase: 'aborted',
        previousVersion: '2.3.1',
        version: '2.4.0',
        canaryWeight: 0,
      },
      'runs 2.3.1 (2.4.0 aborted)',
    ],
    [
      {
        phase: 'failed',
        previousVersion: null,
        version: '2.4.0',
        canaryWeight: 0,
      },
      'runs nothing (2.4.0 failed)',
    ],
  ])('%j: %s', (current, expected) => {
    expect(environmentState(environment('staging', current))).toBe(expected);
  });
});

describe('environmentsSentence', () => {
  it('says every environment in promotion order', () => {
    expect(
      environmentsSentence([
        environment('staging', { phase: 'succeeded', version: '2.4.0' }),
        environment('production', {
          phase: 'progressing',
          previousVersion: '2.3.1',
          version: '2.4.0',
          canaryWeight: 25,
        }),
      ]),
    ).toBe('staging runs 2.4.0; production 2.3.1 → 2.4.0, canary at 25%');
  });
});
