import type {
  ArmMetrics,
  MetricsProvider,
  MetricsQuery,
  MetricsReading,
} from '@glidepath/backstage-plugin-node';

/** Counts for one side: `errors` of `requests`, no latency histogram. */
export function armMetrics(
  requests: number,
  errors: number,
  healthChecks?: { passed: number; failed: number },
): ArmMetrics {
  return { requests, errors, latencyBuckets: [], healthChecks };
}

/**
 * A metrics provider for tests: answers each release (by provider release
 * id) with the reading set for it, or throws the outage set.
 */
export class FakeMetricsProvider implements MetricsProvider {
  readonly id: string;
  readonly readings = new Map<string, MetricsReading>();
  readonly queries: MetricsQuery[] = [];
  outage: Error | undefined;

  constructor(id = 'fake') {
    this.id = id;
  }

  async readMetrics(query: MetricsQuery): Promise<MetricsReading> {
    this.queries.push(query);
    if (this.outage) throw this.outage;
    return (
      this.readings.get(query.target.providerReleaseId) ?? {
        status: 'no_data',
        reason: `no series for ${query.target.providerReleaseId}`,
      }
    );
  }
}
