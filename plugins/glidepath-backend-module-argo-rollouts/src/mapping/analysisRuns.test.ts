import { fixture } from '../__testUtils__/fixtures';
import { map } from '../__testUtils__/mapFixtures';
import { verdictOf } from './analysisRuns';

describe('mapRollout on the aborted fixture (rollout-background-analysis)', () => {
  const view = map(fixture('rollout-aborted/rollout.yaml'));

  it('attaches the analysis run, each metric with its measurements and verdicts', () => {
    expect(view.analysisRuns).toEqual({
      'prod-eu/default/rollout-background-analysis@2': [
        {
          name: 'rollout-background-analysis-db976bc44-2',
          revision: 2,
          kind: 'Background',
          phase: 'Failed',
          verdict: 'fail',
          message:
            'metric "web" assessed Failed due to failed (1) > failureLimit (0)',
          startedAt: '2020-09-22T09:10:04Z',
          metrics: [
            {
              name: 'web',
              phase: 'Failed',
              verdict: 'fail',
              count: 1,
              successful: 0,
              failed: 1,
              inconclusive: 0,
              error: 0,
              message: null,
              successCondition: 'result == "true"',
              failureCondition: null,
              failureLimit: null,
              measurements: [
                {
                  phase: 'Failed',
                  verdict: 'fail',
                  value: 'false',
                  message: null,
                  startedAt: '2020-09-22T09:10:04Z',
                  finishedAt: '2020-09-22T09:10:04Z',
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('gives the release its analysis runs for Glidepath to store, and none to the revision without', () => {
    const { revision: _revision, ...run } =
      view.analysisRuns['prod-eu/default/rollout-background-analysis@2'][0];
    expect(view.releases[0].providerAnalysis).toEqual([run]);
    expect(run).not.toHaveProperty('revision');
    expect(view.releases[1].providerAnalysis).toBeUndefined();
  });
});

describe('small readers', () => {
  it.each([
    ['Successful', 'pass'],
    ['Failed', 'fail'],
    ['Inconclusive', 'inconclusive'],
    ['Error', 'no_data'],
    ['Running', null],
  ])('verdictOf(%s) is %s', (phase, verdict) => {
    expect(verdictOf(phase)).toBe(verdict);
  });
});
