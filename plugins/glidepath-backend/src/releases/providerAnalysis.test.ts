import type { ProviderAnalysisRun } from '@glidepath/backstage-plugin-common';
import {
  MAX_PROVIDER_MEASUREMENTS,
  MAX_PROVIDER_RUNS,
  normaliseProviderAnalysis,
} from './providerAnalysis';

const measurement = (value: string) => ({
  phase: 'Successful',
  verdict: 'pass' as const,
  value,
  message: null,
  startedAt: '2026-12-03T10:00:00Z',
  finishedAt: '2026-12-03T10:00:01Z',
});

function run(
  overrides: Partial<ProviderAnalysisRun> = {},
): ProviderAnalysisRun {
  return {
    name: 'web-analysis',
    kind: 'Background',
    phase: 'Running',
    verdict: null,
    message: null,
    startedAt: '2026-12-03T10:00:00Z',
    metrics: [
      {
        name: 'web',
        phase: 'Running',
        verdict: null,
        count: 1,
        successful: 1,
        failed: 0,
        inconclusive: 0,
        error: 0,
        message: null,
        successCondition: 'result == "true"',
        failureCondition: null,
        failureLimit: 0,
        measurements: [measurement('true')],
      },
    ],
    ...overrides,
  };
}

// What the provider sends, and what Glidepath keeps of it.
type Case = [string, unknown, ProviderAnalysisRun[]];

const lastValues = (runs: ProviderAnalysisRun[]) =>
  runs[0].metrics[0].measurements.map(m => m.value);

// run() as Glidepath keeps it: the same, times in ISO 8601 with milliseconds.
const kept: ProviderAnalysisRun = run({
  startedAt: '2026-12-03T10:00:00.000Z',
  metrics: [
    {
      ...run().metrics[0],
      measurements: [
        {
          ...measurement('true'),
          startedAt: '2026-12-03T10:00:00.000Z',
          finishedAt: '2026-12-03T10:00:01.000Z',
        },
      ],
    },
  ],
});

const cases: Case[] = [
  ['a well-formed run is kept as it is, times as ISO 8601', [run()], [kept]],
  [
    "a provider's extra fields are dropped",
    [{ ...run(), revision: 3, uid: 'abc' }],
    [kept],
  ],
  [
    'an unknown verdict is none, a time that does not parse is none',
    [run({ verdict: 'maybe' as any, startedAt: 'yesterday' })],
    [{ ...kept, verdict: null, startedAt: null }],
  ],
  [
    'counts that are not non-negative integers become ones',
    [
      run({
        metrics: [
          {
            ...run().metrics[0],
            count: 2.7,
            failed: -1,
            error: 'x' as any,
          },
        ],
      }),
    ],
    [
      {
        ...kept,
        metrics: [{ ...kept.metrics[0], count: 2, failed: 0, error: 0 }],
      },
    ],
  ],
  [
    'missing names, phases and lists get placeholders instead of failing',
    [{ verdict: 'fail' }],
    [
      {
        name: '(unnamed run)',
        kind: null,
        phase: 'Unknown',
        verdict: 'fail',
        message: null,
        startedAt: null,
        metrics: [],
      },
    ],
  ],
  ['no runs: none', [], []],
];

describe('normaliseProviderAnalysis', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(normaliseProviderAnalysis(input as ProviderAnalysisRun[])).toEqual(
      expected,
    );
  });

  it(`keeps the latest ${MAX_PROVIDER_MEASUREMENTS} measurements of a metric`, () => {
    const runs = normaliseProviderAnalysis([
      run({
        metrics: [
          {
            ...run().metrics[0],
            measurements: Array.from({ length: 25 }, (_, i) =>
              measurement(String(i)),
            ),
          },
        ],
      }),
    ]);
    expect(lastValues(runs)).toEqual(
      Array.from({ length: MAX_PROVIDER_MEASUREMENTS }, (_, i) =>
        String(i + 5),
      ),
    );
  });

  it(`keeps the latest ${MAX_PROVIDER_RUNS} runs`, () => {
    const runs = normaliseProviderAnalysis(
      Array.from({ length: MAX_PROVIDER_RUNS + 3 }, (_, i) =>
        run({ name: `run-${i}` }),
      ),
    );
    expect(runs.map(r => r.name)).toEqual(
      Array.from({ length: MAX_PROVIDER_RUNS }, (_, i) => `run-${i + 3}`),
    );
  });
});
