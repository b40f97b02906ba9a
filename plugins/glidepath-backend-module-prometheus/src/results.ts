import type { LatencyBucket } from '@glidepath/backstage-plugin-node';

/** One element of an instant query's result. */
export type PromSample = {
  labels: Record<string, string>;
  /** Seconds since the epoch, as Prometheus reports the evaluation time. */
  timestamp: number;
  value: number;
};

/** A result Prometheus returned that cannot be read as what was asked. */
export class UnusableResultError extends Error {
  name = 'UnusableResultError';
}

/**
 * Parses a sample value as Prometheus writes it: a decimal number, `NaN`,
 * `+Inf` or `-Inf`.
 */
export function parseSampleValue(text: unknown): number {
  if (typeof text !== 'string') {
    throw new UnusableResultError(
      `expected a sample value as a string, got ${JSON.stringify(text)}`,
    );
  }
  switch (text) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default: {
      const value = Number(text);
      if (text.trim() === '' || Number.isNaN(value)) {
        throw new UnusableResultError(`"${text}" is not a sample value`);
      }
      return value;
    }
  }
}

function parsePair(pair: unknown): { timestamp: number; value: number } {
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new UnusableResultError(
      `expected [<time>, "<value>"], got ${JSON.stringify(pair)}`,
    );
  }
  const timestamp = Number(pair[0]);
  if (!Number.isFinite(timestamp)) {
    throw new UnusableResultError(
      `expected a sample time, got ${JSON.stringify(pair[0])}`,
    );
  }
  return { timestamp, value: parseSampleValue(pair[1]) };
}

/**
 * Reads the `data` of a successful `/api/v1/query` answer: an instant
 * vector (one sample per series) or a scalar (one sample without labels).
 * Anything else (a range vector, a string) is unusable.
 */
export function parseInstantQueryData(data: unknown): PromSample[] {
  const { resultType, result } = (data ?? {}) as {
    resultType?: unknown;
    result?: unknown;
  };
  if (resultType === 'scalar') {
    return [{ labels: {}, ...parsePair(result) }];
  }
  if (resultType !== 'vector') {
    throw new UnusableResultError(
      `expected an instant vector, got ${
        typeof resultType === 'string'
          ? `a result of type ${resultType}`
          : JSON.stringify(data)?.slice(0, 200)
      }`,
    );
  }
  if (!Array.isArray(result)) {
    throw new UnusableResultError(
      `expected a list of samples, got ${JSON.stringify(result)?.slice(
        0,
        200,
      )}`,
    );
  }
  return result.map(element => {
    const { metric, value } = (element ?? {}) as {
      metric?: unknown;
      value?: unknown;
    };
    const labels: Record<string, string> = {};
    if (metric && typeof metric === 'object') {
      for (const [name, labelValue] of Object.entries(metric)) {
        if (typeof labelValue === 'string') labels[name] = labelValue;
      }
    }
    return { labels, ...parsePair(value) };
  });
}

/**
 * Rounds a count to three decimals: `increase()` extrapolates, so its counts
 * are fractional; rounding drops float noise (`239.99999999997`) and keeps
 * small counts (0.4 stays 0.4, it is not floored to 0).
 */
export function roundCount(value: number): number {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/**
 * Checks one count. `NaN` is what PromQL gives for 0/0; it is read as 0 when
 * `nanIsZero` says the side had nothing to count (no requests in the range),
 * and is an error anywhere else, as are infinities and negative counts.
 */
function checkedCount(value: number, nanIsZero: boolean): number {
  if (Number.isNaN(value)) {
    if (nanIsZero) return 0;
    throw new UnusableResultError(
      'the query returned NaN, which is not a count (NaN is only read as 0 when the side served no requests, where it comes from 0/0)',
    );
  }
  if (!Number.isFinite(value)) {
    throw new UnusableResultError(
      `the query returned ${value > 0 ? '+Inf' : '-Inf'}, which is not a count`,
    );
  }
  // increase() never goes below zero; allow float noise around 0 only.
  if (value < -1e-6) {
    throw new UnusableResultError(
      `the query returned ${value}, a negative count (use increase() over counters, not delta())`,
    );
  }
  return Math.max(0, value);
}

/**
 * The count a query returned: the sum of its samples (a template that does
 * not aggregate still counts every series once), or undefined when the
 * result is empty, which means no such series exist.
 */
export function countOf(
  samples: PromSample[],
  options: { nanIsZero?: boolean } = {},
): number | undefined {
  if (samples.length === 0) return undefined;
  let total = 0;
  for (const sample of samples) {
    total += checkedCount(sample.value, options.nanIsZero ?? false);
  }
  return roundCount(total);
}

/** Parses an `le` label: a number, or `+Inf`. */
export function parseLe(text: string | undefined): number {
  if (text === undefined) {
    throw new UnusableResultError(
      'a series has no "le" label: aggregate the buckets with sum by (le) (...)',
    );
  }
  const trimmed = text.trim();
  if (trimmed === '+Inf' || trimmed === 'Inf') return Infinity;
  const le = Number(trimmed);
  if (trimmed === '' || Number.isNaN(le)) {
    throw new UnusableResultError(`"le" label "${text}" is not a number`);
  }
  return le;
}

/**
 * The latency histogram a bucket query returned: one bucket per `le`
 * (series with the same bound, e.g. `"1"` and `"1.0"` or one per instance,
 * are added up), ascending, `+Inf` last, and cumulative counts made
 * monotonic. `increase()` extrapolates every bucket on its own, so a bucket
 * can come out slightly below the one before it; it is raised to that one.
 * An empty result means the service has no histogram: no buckets.
 */
export function latencyBucketsOf(
  samples: PromSample[],
  options: { nanIsZero?: boolean } = {},
): LatencyBucket[] {
  if (samples.length === 0) return [];
  const byLe = new Map<number, number>();
  for (const sample of samples) {
    const le = parseLe(sample.labels.le);
    const count = checkedCount(sample.value, options.nanIsZero ?? false);
    byLe.set(le, (byLe.get(le) ?? 0) + count);
  }
  if (!byLe.has(Infinity)) {
    throw new UnusableResultError(
      `the buckets have no le="+Inf" bucket (got le ${[...byLe.keys()].join(
        ', ',
      )}); is the query over a Prometheus histogram's _bucket series?`,
    );
  }
  const buckets = [...byLe.entries()]
    .sort(([a], [b]) => a - b)
    .map(([le, count]) => ({ le, count }));
  let previous = 0;
  return buckets.map(({ le, count }) => {
    previous = Math.max(previous, count);
    return { le, count: roundCount(previous) };
  });
}
