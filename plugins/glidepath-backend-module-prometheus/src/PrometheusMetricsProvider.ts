import { InputError } from '@backstage/errors';
import type {
  ArmMetrics,
  MetricsProvider,
  MetricsQuery,
  MetricsReading,
  ServiceErrorsQuery,
  ServiceErrorsReading,
} from '@glidepath/backstage-plugin-node';
import type { PrometheusConfig } from './config';
import { PrometheusClient } from './PrometheusClient';
import {
  expandTemplate,
  newestSampleQuery,
  parseSelector,
  rangeSeconds,
  sideSelector,
} from './promql';
import {
  countOf,
  latencyBucketsOf,
  UnusableResultError,
  type PromSample,
} from './results';

type Side = 'canary' | 'baseline';

type SideQueries = {
  requests: string;
  errors: string;
  latencyBuckets: string;
  /** The series whose newest sample tells how current the data is. */
  series: string;
  newestSample: string;
  healthPassed?: string;
  healthFailed?: string;
};

const RESULT_KEYS = [
  'requests',
  'errors',
  'latencyBuckets',
  'newestSample',
  'healthPassed',
  'healthFailed',
] as const;

type SideResults = Record<(typeof RESULT_KEYS)[number], PromSample[]>;

function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Glidepath's `prometheus` metrics provider: reads the canary's and the
 * baseline's requests, server errors, latency histogram and (optionally)
 * health checks with PromQL instant queries, telling the two apart by a
 * version label.
 * @public
 */
export class PrometheusMetricsProvider implements MetricsProvider {
  readonly id = 'prometheus';
  readonly #config: PrometheusConfig;
  readonly #client: PrometheusClient;

  constructor(config: PrometheusConfig) {
    this.#config = config;
    this.#client = new PrometheusClient(config);
  }

  async readMetrics(query: MetricsQuery): Promise<MetricsReading> {
    const { target, from, to } = query;
    const { versionLabel, queries, staleAfterMs } = this.#config;

    const matchers = parseSelector(target.selector);
    const own = matchers.find(m => m.label === versionLabel);
    if (own) {
      throw new InputError(
        `Invalid Prometheus selector '${target.selector}': it must not match on the version label ${versionLabel}; Glidepath adds ${versionLabel}="<version>" itself to tell the canary from the baseline`,
      );
    }
    if (!(to.getTime() > from.getTime())) {
      throw new InputError(
        `Cannot read metrics over an empty range: from ${from.toISOString()} to ${to.toISOString()}`,
      );
    }
    if (target.previousVersion === null) {
      return {
        status: 'no_data',
        reason: `the release of ${target.version} has no previous version to compare with, so there is no baseline`,
      };
    }
    if (target.previousVersion === target.version) {
      return {
        status: 'no_data',
        reason: `the canary and the baseline are both version ${target.version}, so their series cannot be told apart by ${versionLabel}`,
      };
    }

    const seconds = rangeSeconds(from, to);
    const versions: Record<Side, string> = {
      canary: target.version,
      baseline: target.previousVersion,
    };
    const sideQueries = (version: string): SideQueries => {
      const values = {
        selector: sideSelector(matchers, versionLabel, version),
        rangeSeconds: seconds,
      };
      const series = expandTemplate(queries.freshness, values);
      return {
        requests: expandTemplate(queries.requests, values),
        errors: expandTemplate(queries.errors, values),
        latencyBuckets: expandTemplate(queries.latencyBuckets, values),
        series,
        newestSample: newestSampleQuery(series, seconds),
        healthPassed:
          queries.healthChecks &&
          expandTemplate(queries.healthChecks.passed, values),
        healthFailed:
          queries.healthChecks &&
          expandTemplate(queries.healthChecks.failed, values),
      };
    };
    const planned: Record<Side, SideQueries> = {
      canary: sideQueries(versions.canary),
      baseline: sideQueries(versions.baseline),
    };

    const results = await this.#runAll(planned, to, query.signal);

    for (const side of ['canary', 'baseline'] as const) {
      if (results[side].requests.length === 0) {
        return {
          status: 'no_data',
          reason: `Prometheus has no series for the ${side} (${versionLabel}="${versions[side]}"): ${planned[side].requests} returned nothing`,
        };
      }
    }

    const newest = {} as Record<Side, Date>;
    for (const side of ['canary', 'baseline'] as const) {
      const newestAt = this.#read(planned[side].newestSample, () =>
        countOf(results[side].newestSample),
      );
      if (newestAt === undefined) {
        return {
          status: 'no_data',
          reason: `Prometheus has no samples of ${planned[side].series} for the ${side} in the range`,
        };
      }
      newest[side] = new Date(Math.round(newestAt * 1000));
    }
    const stale = (['canary', 'baseline'] as const)
      .filter(side => to.getTime() - newest[side].getTime() > staleAfterMs)
      .sort((a, b) => newest[a].getTime() - newest[b].getTime());
    if (stale.length > 0) {
      const oldest = newest[stale[0]];
      return {
        status: 'stale',
        latestSampleAt: oldest,
        reason: stale
          .map(
            side =>
              `the newest sample for the ${side} (${versionLabel}="${
                versions[side]
              }") is ${formatDuration(
                to.getTime() - newest[side].getTime(),
              )} old (stale after ${formatDuration(staleAfterMs)})`,
          )
          .join('; '),
      };
    }

    return {
      status: 'ok',
      canary: this.#arm(planned.canary, results.canary),
      baseline: this.#arm(planned.baseline, results.baseline),
      // Both sides' numbers are complete up to the older of their newest samples.
      latestSampleAt: new Date(
        Math.min(newest.canary.getTime(), newest.baseline.getTime()),
      ),
    };
  }

  /**
   * A service's requests and server errors over `[from, to)`, every
   * version together (the error budget's 28 days): the `requests` and
   * `errors` templates with the entity's own selector (no version matcher)
   * and the whole range, e.g. `sum(increase(http_requests_total{job="checkout"}[2419200s]))`,
   * as instant queries at `to`. `no_data` when the requests query returns
   * nothing (no such series in the range); no error series (no 5xx yet)
   * counts as no errors.
   */
  async readServiceErrors(
    query: ServiceErrorsQuery,
  ): Promise<ServiceErrorsReading> {
    const { versionLabel, queries } = this.#config;
    const matchers = parseSelector(query.selector);
    if (matchers.some(m => m.label === versionLabel)) {
      throw new InputError(
        `Invalid Prometheus selector '${query.selector}': it must not match on the version label ${versionLabel}; the error budget counts every version`,
      );
    }
    if (!(query.to.getTime() > query.from.getTime())) {
      throw new InputError(
        `Cannot read errors over an empty range: from ${query.from.toISOString()} to ${query.to.toISOString()}`,
      );
    }
    const values = {
      selector: matchers
        .map(m => `${m.label}${m.op}${m.quotedValue}`)
        .join(','),
      rangeSeconds: rangeSeconds(query.from, query.to),
    };
    const requestsQuery = expandTemplate(queries.requests, values);
    const errorsQuery = expandTemplate(queries.errors, values);
    const siblings = new AbortController();
    const signal = AbortSignal.any([query.signal, siblings.signal]);
    const run = async (promql: string) => {
      try {
        return await this.#client.query(promql, query.to, signal);
      } catch (error) {
        siblings.abort(error);
        throw error;
      }
    };
    const [requestSamples, errorSamples] = await Promise.all([
      run(requestsQuery),
      run(errorsQuery),
    ]);
    const requests = this.#read(requestsQuery, () => countOf(requestSamples));
    if (requests === undefined) {
      return {
        status: 'no_data',
        reason: `Prometheus has no series for {${values.selector}} in the range: ${requestsQuery} returned nothing`,
      };
    }
    const errors =
      this.#read(errorsQuery, () =>
        countOf(errorSamples, { nanIsZero: requests === 0 }),
      ) ?? 0;
    return { status: 'ok', requests, errors };
  }

  /** Runs every query; the first failure aborts the others and is thrown. */
  async #runAll(
    planned: Record<Side, SideQueries>,
    time: Date,
    signal: AbortSignal,
  ): Promise<Record<Side, SideResults>> {
    const siblings = new AbortController();
    const combined = AbortSignal.any([signal, siblings.signal]);
    const run = async (promql: string | undefined) => {
      if (promql === undefined) return [];
      try {
        return await this.#client.query(promql, time, combined);
      } catch (error) {
        siblings.abort(error);
        throw error;
      }
    };
    const side = async (queries: SideQueries): Promise<SideResults> =>
      Object.fromEntries(
        await Promise.all(
          RESULT_KEYS.map(async key => [key, await run(queries[key])]),
        ),
      ) as SideResults;
    const [canary, baseline] = await Promise.all([
      side(planned.canary),
      side(planned.baseline),
    ]);
    return { canary, baseline };
  }

  #arm(queries: SideQueries, results: SideResults): ArmMetrics {
    const requests = this.#read(queries.requests, () =>
      countOf(results.requests),
    )!;
    // NaN is 0/0 when there was nothing to count.
    const nanIsZero = requests === 0;
    const arm: ArmMetrics = {
      requests,
      errors:
        this.#read(queries.errors, () =>
          countOf(results.errors, { nanIsZero }),
        ) ?? 0,
      latencyBuckets: this.#read(queries.latencyBuckets, () =>
        latencyBucketsOf(results.latencyBuckets, { nanIsZero }),
      ),
    };
    if (queries.healthPassed && queries.healthFailed) {
      arm.healthChecks = {
        passed:
          this.#read(queries.healthPassed, () =>
            countOf(results.healthPassed),
          ) ?? 0,
        failed:
          this.#read(queries.healthFailed, () =>
            countOf(results.healthFailed),
          ) ?? 0,
      };
    }
    return arm;
  }

  /** Reads a result, naming the server and the query when it is unusable. */
  #read<T>(promql: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof UnusableResultError) {
        throw new Error(
          `${this.#client.name} returned an unusable result: ${
            error.message
          } (query: ${promql})`,
        );
      }
      throw error;
    }
  }
}
