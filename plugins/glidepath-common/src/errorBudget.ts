/*
 * The error-budget policy's pure logic (issue 21): a service whose SLO
 * (`glidepath.dev/slo`, an availability objective in percent) has spent its
 * error budget over the last 28 days is frozen in production, except for
 * releases marked as fixes, until the budget recovers.
 *
 * The budget is the share of requests the SLO allows to fail: 1 - SLO
 * (0.5% for 99.5%). The burned share is the observed error ratio over the
 * window divided by the budget; the budget is spent at 100% or more and
 * recovers below 100%. No SLO, no data or a failed read freezes nothing,
 * and says so.
 */
import type { ErrorBudget } from './types';

/** The window the policy measures, in days. @public */
export const ERROR_BUDGET_WINDOW_DAYS = 28;

/**
 * What the metrics provider read for the window: the counts, no data (with
 * the provider's reason), or a failure (unreachable, timed out, no such
 * capability).
 * @public
 */
export type ErrorBudgetReading =
  | { status: 'ok'; requests: number; errors: number }
  | { status: 'no_data'; reason: string }
  | { status: 'failed'; reason: string };

// A burned share this close under 1 is 1: 1 - 99.9 / 100 is not exactly
// 0.001 in floating point, and 1,000 errors in 1,000,000 requests spend a
// 99.9% SLO's budget exactly.
const EPSILON = 1e-9;

/** A share of the budget as the page writes it: `112%`, `2.5%`, `<0.1%`, `0%`. @public */
export function formatBudgetPercent(percent: number): string {
  if (percent === 0) return '0%';
  if (percent < 0.1) return '<0.1%';
  if (percent < 10) return `${Math.round(percent * 10) / 10}%`;
  return `${Math.round(percent)}%`;
}

function unknown(
  base: Omit<ErrorBudget, 'status' | 'reason' | 'frozen'>,
  reason: string,
): ErrorBudget {
  return { ...base, status: 'unknown', frozen: false, reason };
}

/**
 * The policy's state for a service from its SLO and what was read over
 * the window. `environments` are those the policy freezes (production
 * ones); `readAt` when the reading was taken.
 * @public
 */
export function errorBudgetOf(options: {
  sloPercent: number | undefined;
  reading: ErrorBudgetReading | undefined;
  environments: string[];
  readAt: Date | undefined;
  windowDays?: number;
}): ErrorBudget {
  const windowDays = options.windowDays ?? ERROR_BUDGET_WINDOW_DAYS;
  const base = {
    sloPercent: options.sloPercent ?? null,
    windowDays,
    requests: null,
    errors: null,
    errorRatio: null,
    burnedPercent: null,
    environments: options.environments,
    readAt: options.readAt?.toISOString() ?? null,
  };
  const slo = options.sloPercent;
  if (slo === undefined || !(slo > 0 && slo < 100)) {
    return {
      ...base,
      status: 'no_slo',
      frozen: false,
      reason:
        'The service has no SLO (glidepath.dev/slo), so no error-budget policy applies',
    };
  }
  const { reading } = options;
  if (!reading) {
    return unknown(base, 'The error budget has not been read yet');
  }
  if (reading.status !== 'ok') {
    return unknown(
      base,
      `${
        reading.status === 'no_data'
          ? 'No data'
          : 'The metrics provider could not be read'
      }: ${reading.reason}`,
    );
  }
  const { requests, errors } = reading;
  const counts = { ...base, requests, errors };
  if (
    !Number.isFinite(requests) ||
    !Number.isFinite(errors) ||
    requests < 0 ||
    errors < 0
  ) {
    return unknown(
      base,
      `The metrics provider read ${errors} errors in ${requests} requests, which cannot be counts`,
    );
  }
  if (requests === 0) {
    return unknown(
      counts,
      `No requests in the last ${windowDays} days, so no error ratio to measure`,
    );
  }
  // Rates extrapolated over a range can put a few more errors than
  // requests; a ratio is at most 1.
  const errorRatio = Math.min(1, errors / requests);
  const budget = (100 - slo) / 100;
  const burned = errorRatio / budget;
  const spent = burned >= 1 - EPSILON;
  const burnedPercent = spent && burned < 1 ? 100 : burned * 100;
  const measured = { ...counts, errorRatio, burnedPercent };
  if (!spent)
    return { ...measured, status: 'within', frozen: false, reason: null };
  return {
    ...measured,
    status: 'spent',
    frozen: options.environments.length > 0,
    reason: `the error budget of its ${slo}% SLO is spent: ${formatBudgetPercent(
      burnedPercent,
    )} of the ${windowDays}-day budget burned (${formatRatio(
      errorRatio,
    )} of requests failed, ${formatRatio(
      budget,
    )} allowed); only releases marked as fixes go out until it recovers`,
  };
}

function formatRatio(ratio: number): string {
  const percent = ratio * 100;
  return `${Number(percent.toPrecision(3))}%`;
}

/**
 * One line for a page: "Error budget: 112% of the 28-day budget spent,
 * frozen except fixes", "Error budget: 40% of the 28-day budget spent",
 * "Error budget unknown: <why>; nothing frozen", or that no SLO applies.
 * @public
 */
export function describeErrorBudget(budget: ErrorBudget): string {
  switch (budget.status) {
    case 'no_slo':
      return 'No error-budget policy: the service has no SLO (glidepath.dev/slo)';
    case 'unknown':
      return `Error budget unknown: ${budget.reason}; nothing is frozen for it`;
    case 'within':
    case 'spent':
    default: {
      const spent = `Error budget: ${formatBudgetPercent(
        budget.burnedPercent ?? 0,
      )} of the ${budget.windowDays}-day budget spent (SLO ${
        budget.sloPercent
      }%)`;
      if (budget.status === 'within') return spent;
      return budget.frozen
        ? `${spent}, frozen except fixes`
        : `${spent}; no production environment to freeze`;
    }
  }
}
