import {
  describeErrorBudget,
  errorBudgetOf,
  ErrorBudgetReading,
  formatBudgetPercent,
} from './errorBudget';

const readAt = new Date('2026-12-07T02:00:00.000Z');
const production = ['production'];

function budget(
  sloPercent: number | undefined,
  reading: ErrorBudgetReading | undefined,
  environments = production,
) {
  return errorBudgetOf({ sloPercent, reading, environments, readAt });
}

const ok = (requests: number, errors: number): ErrorBudgetReading => ({
  status: 'ok',
  requests,
  errors,
});

describe('errorBudgetOf', () => {
  it.each([
    // slo, requests, errors, status, burned percent, frozen
    [
      '99.5, 0.56% failed: 112% spent',
      99.5,
      1_000_000,
      5_600,
      'spent',
      112,
      true,
    ],
    ['99.5, 0.2% failed: 40%', 99.5, 1_000_000, 2_000, 'within', 40, false],
    [
      '99.9, exactly the budget: spent',
      99.9,
      1_000_000,
      1_000,
      'spent',
      100,
      true,
    ],
    [
      '99.9, one error short of it: recovered',
      99.9,
      1_000_000,
      999,
      'within',
      99.9,
      false,
    ],
    ['99, exactly 1%: spent', 99, 200, 2, 'spent', 100, true],
    ['99, no errors', 99, 5_000, 0, 'within', 0, false],
    [
      '99.99, a single error in 10k: 100%',
      99.99,
      10_000,
      1,
      'spent',
      100,
      true,
    ],
    [
      'more errors than requests (extrapolated): ratio 1',
      99,
      100,
      103,
      'spent',
      10_000,
      true,
    ],
  ])('%s', (_, slo, requests, errors, status, burnedPercent, frozen) => {
    const result = budget(slo, ok(requests, errors));
    expect(result.status).toBe(status);
    expect(result.burnedPercent).toBeCloseTo(burnedPercent, 6);
    expect(result.frozen).toBe(frozen);
    expect(result.requests).toBe(requests);
    expect(result.errors).toBe(errors);
    expect(result.windowDays).toBe(28);
    expect(result.readAt).toBe(readAt.toISOString());
    expect(result.reason ?? '').toMatch(
      frozen ? /only releases marked as fixes/ : /^$/,
    );
  });

  it.each([
    [
      'no SLO',
      undefined,
      ok(100, 50),
      'no_slo',
      /no SLO \(glidepath.dev\/slo\)/,
    ],
    ['not read yet', 99, undefined, 'unknown', /not been read yet/],
    [
      'no data',
      99,
      { status: 'no_data', reason: 'no series for job="x"' },
      'unknown',
      /^No data: no series for job="x"$/,
    ],
    [
      'a failed read',
      99,
      { status: 'failed', reason: 'Prometheus timed out' },
      'unknown',
      /could not be read: Prometheus timed out/,
    ],
    [
      'no requests in 28 days',
      99,
      ok(0, 0),
      'unknown',
      /No requests in the last 28 days/,
    ],
    ['NaN counts', 99, ok(NaN, 1), 'unknown', /cannot be counts/],
    ['negative counts', 99, ok(10, -1), 'unknown', /cannot be counts/],
  ] as const)(
    'freezes nothing and says why: %s',
    (_, slo, reading, status, reason) => {
      const result = budget(slo, reading as ErrorBudgetReading | undefined);
      expect(result.status).toBe(status);
      expect(result.frozen).toBe(false);
      expect(result.burnedPercent).toBeNull();
      expect(result.reason).toMatch(reason);
    },
  );

  it('is spent but freezes nothing without a production environment', () => {
    const result = budget(99.5, ok(1000, 10), []);
    expect(result.status).toBe('spent');
    expect(result.frozen).toBe(false);
    expect(describeErrorBudget(result)).toBe(
      'Error budget: 200% of the 28-day budget spent (SLO 99.5%); no production environment to freeze',
    );
  });

  it('names the SLO, the burn and the allowed share in the freeze reason', () => {
    expect(budget(99.5, ok(1_000_000, 5_600)).reason).toBe(
      'the error budget of its 99.5% SLO is spent: 112% of the 28-day budget burned (0.56% of requests failed, 0.5% allowed); only releases marked as fixes go out until it recovers',
    );
  });
});

describe('describeErrorBudget', () => {
  it.each([
    [
      budget(99.5, ok(1_000_000, 5_600)),
      'Error budget: 112% of the 28-day budget spent (SLO 99.5%), frozen except fixes',
    ],
    [
      budget(99.5, ok(1_000_000, 2_000)),
      'Error budget: 40% of the 28-day budget spent (SLO 99.5%)',
    ],
    [
      budget(99, ok(1_000_000, 250)),
      'Error budget: 2.5% of the 28-day budget spent (SLO 99%)',
    ],
    [
      budget(99, { status: 'no_data', reason: 'no series' }),
      'Error budget unknown: No data: no series; nothing is frozen for it',
    ],
    [
      budget(undefined, undefined),
      'No error-budget policy: the service has no SLO (glidepath.dev/slo)',
    ],
  ])('%#', (state, text) => {
    expect(describeErrorBudget(state)).toBe(text);
  });
});

describe('formatBudgetPercent', () => {
  it.each([
    [0, '0%'],
    [0.04, '<0.1%'],
    [2.46, '2.5%'],
    [9.96, '10%'],
    [111.6, '112%'],
  ])('%p reads %p', (percent, text) => {
    expect(formatBudgetPercent(percent)).toBe(text);
  });
});
