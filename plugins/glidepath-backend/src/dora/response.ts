import type {
  DoraFailure,
  DoraResponse,
} from '@glidepath/backstage-plugin-common';
import type { DoraAnswer } from './DoraService';
import type { StoredFailure } from './DoraStore';

/* The DORA answers as the API sends them. */

const iso = (ms: number | null) =>
  ms === null ? null : new Date(ms).toISOString();

/** A failed change as the API sends it. */
export function toDoraFailure(f: StoredFailure): DoraFailure {
  return {
    deploymentId: f.id,
    entityRef: f.entityRef,
    environment: f.environment,
    version: f.version,
    outcome: f.outcome,
    deployedAt: iso(f.deployedAt)!,
    rule: f.failureRule!,
    failureStartedAt: iso(f.failureStartedAt),
    restoredAt: iso(f.restoredAt),
    incidents: f.incidents,
  };
}

/** The answer as the API sends it: ISO timestamps, failures with their rule. */
export function toDoraResponse(answer: DoraAnswer): DoraResponse {
  const { report } = answer;
  return {
    scope: answer.scope,
    from: iso(report.from)!,
    to: iso(report.to)!,
    bucket: report.bucket,
    summary: report.summary,
    series: report.series.map(b => ({
      start: iso(b.start)!,
      end: iso(b.end)!,
      measures: b.measures,
    })),
    failures: answer.failures.map(toDoraFailure),
    ...(answer.groups && { groups: answer.groups }),
    unmatchedEvents: answer.unmatchedEvents,
    simulatedDeployments: answer.simulatedDeployments,
  };
}
