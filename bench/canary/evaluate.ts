/**
 * Runs the four judges on recordings and sums up what they did: false
 * rollbacks, missed regressions, time to rollback, bad requests served,
 * rollbacks on missing data, time to promote. Pure: no I/O.
 */
import { CATEGORIES, type Recording } from './corpus';
import { runArgo, runFlagger, runKayenta } from './emulations';
import { runGlidepath, type JudgeOutcome } from './glidepath';
import { BENCH_POLICY } from './policy';
import { lastAtOrBefore } from './prometheus';
import { quantile, wilsonInterval } from './stats';

export const JUDGE_NAMES = ['glidepath', 'flagger', 'argo', 'kayenta'] as const;
export type JudgeName = (typeof JUDGE_NAMES)[number];

export const JUDGE_LABELS: Record<JudgeName, string> = {
  glidepath: "Glidepath's judge (default policy)",
  flagger: "Flagger's defaults (emulated)",
  argo: "Argo Rollouts' documented example analysis (emulated)",
  kayenta: "Kayenta's recommended configuration (emulated)",
};

export const JUDGES: Record<JudgeName, (r: Recording) => JudgeOutcome> = {
  glidepath: r => runGlidepath(r, BENCH_POLICY),
  flagger: runFlagger,
  argo: runArgo,
  kayenta: runKayenta,
};

/** One recording's facts and what each judge did with it: small, serialisable. */
export type RunResult = {
  id: string;
  category: string;
  regression: boolean;
  onsetSeconds: number | null;
  kind: string;
  scrapeIntervalSeconds: number;
  rps: number | null;
  exceedsDefaultPolicy: boolean | null;
  /** When the first scrape that was not `ok` came (null: none). */
  firstMissingSeconds: number | null;
  outcomes: Record<
    JudgeName,
    JudgeOutcome & {
      /** Excess bad canary requests served from the onset until the rollback (or the run's end). */
      badRequests: number | null;
    }
  >;
};

export function evaluateRecording(
  recording: Recording,
  judges: readonly JudgeName[] = JUDGE_NAMES,
): RunResult {
  const times = recording.scrapes.map(s => s.t);
  const excess = recording.truth?.excessBad;
  const outcomes = {} as RunResult['outcomes'];
  for (const name of judges) {
    const outcome = JUDGES[name](recording);
    let badRequests: number | null = null;
    if (recording.regression && excess && excess.length) {
      const until = outcome.rollbackAt ?? recording.durationSeconds;
      const i = lastAtOrBefore(times, until);
      badRequests = i >= 0 ? Math.round(excess[i]) : 0;
    }
    outcomes[name] = { ...outcome, badRequests };
  }
  return {
    id: recording.id,
    category: recording.category,
    regression: recording.regression,
    onsetSeconds: recording.onsetSeconds,
    kind: recording.kind,
    scrapeIntervalSeconds: recording.scrapeIntervalSeconds,
    rps: recording.rps,
    exceedsDefaultPolicy: recording.truth?.exceedsDefaultPolicy ?? null,
    firstMissingSeconds:
      recording.scrapes.find(s => s.status !== 'ok')?.t ?? null,
    outcomes,
  };
}

/** The figures of one judge over a set of runs. */
export type Figures = {
  runs: number;
  /** Runs without a regression, and how many of them were rolled back. */
  clean: number;
  falseRollbacks: number;
  falseRollbackRate: number | null;
  falseRollbackCi: { low: number; high: number } | null;
  regressions: number;
  missed: number;
  missedRate: number | null;
  /** Seconds from the onset to the rollback, over the regressions rolled back after their onset. */
  timeToRollback: { median: number | null; p90: number | null };
  /** Regressions rolled back before their onset (on something else): caught, but not timed. */
  rolledBackBeforeOnset: number;
  /** Excess bad requests served per regression run (missed ones until the run's end). */
  badRequests: { median: number | null; p90: number | null; total: number };
  /** Rollbacks resting on missing or failed data, in any run. */
  missingDataRollbacks: number;
  /** Clean runs promoted, and when. */
  promoted: number;
  timeToPromote: { median: number | null; p90: number | null };
  escalated: number;
  /**
   * Regressions: seconds from the onset to the first rollback or
   * escalation (the owners told), and how many got neither.
   */
  timeToDecide: {
    median: number | null;
    p90: number | null;
    max: number | null;
  };
  undecided: number;
};

export function figures(runs: readonly RunResult[], judge: JudgeName): Figures {
  const clean = runs.filter(r => !r.regression);
  const regressions = runs.filter(r => r.regression);
  const falseRollbacks = clean.filter(
    r => r.outcomes[judge].rollbackAt !== null,
  ).length;
  const caught = regressions.filter(r => r.outcomes[judge].rollbackAt !== null);
  const delays = caught.map(
    r => (r.outcomes[judge].rollbackAt as number) - (r.onsetSeconds ?? 0),
  );
  const ttr = delays.filter(d => d >= 0);
  const bad = regressions
    .map(r => r.outcomes[judge].badRequests)
    .filter((v): v is number => v !== null);
  const decidedAt = regressions.map(r => {
    const o = r.outcomes[judge];
    const times = [o.rollbackAt, o.escalatedAt ?? null].filter(
      (t): t is number => t !== null,
    );
    return times.length ? Math.min(...times) - (r.onsetSeconds ?? 0) : null;
  });
  const decided = decidedAt.filter((t): t is number => t !== null);
  const promoted = clean.filter(r => r.outcomes[judge].promoteAt !== null);
  const ttp = promoted.map(r => r.outcomes[judge].promoteAt as number);
  return {
    runs: runs.length,
    clean: clean.length,
    falseRollbacks,
    falseRollbackRate: clean.length ? falseRollbacks / clean.length : null,
    falseRollbackCi: clean.length
      ? wilsonInterval(falseRollbacks, clean.length)
      : null,
    regressions: regressions.length,
    missed: regressions.length - caught.length,
    missedRate: regressions.length
      ? (regressions.length - caught.length) / regressions.length
      : null,
    timeToRollback: { median: quantile(ttr, 0.5), p90: quantile(ttr, 0.9) },
    rolledBackBeforeOnset: delays.length - ttr.length,
    badRequests: {
      median: quantile(bad, 0.5),
      p90: quantile(bad, 0.9),
      total: bad.reduce((s, v) => s + v, 0),
    },
    missingDataRollbacks: runs.filter(
      r => r.outcomes[judge].cause === 'missing_data',
    ).length,
    promoted: promoted.length,
    timeToPromote: { median: quantile(ttp, 0.5), p90: quantile(ttp, 0.9) },
    escalated: runs.filter(
      r =>
        r.outcomes[judge].escalatedAt !== undefined &&
        r.outcomes[judge].escalatedAt !== null,
    ).length,
    timeToDecide: {
      median: quantile(decided, 0.5),
      p90: quantile(decided, 0.9),
      max: decided.length ? Math.max(...decided) : null,
    },
    undecided: decidedAt.length - decided.length,
  };
}

/** The categories whose runs have no regression by construction. */
const CLEAN_CATEGORIES = [
  'shared_outage',
  'error_offset',
  'latency_offset',
  'warmup',
];

// ---------------------------------------------------------------- targets

export type TargetCheck = { name: string; pass: boolean; detail: string };

/** The issue's targets, checked on one judge's results (Glidepath's are the targets). */
export function checkTargets(
  runs: readonly RunResult[],
  judge: JudgeName,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const healthy = runs.filter(r => r.category === 'healthy' && !r.regression);
  const h = figures(healthy, judge);
  // A target with no runs to check is left out (e.g. --only-file).
  if (healthy.length)
    checks.push({
      name: `healthy runs: no rollback in at least 3,000, false-rollback rate under 0.5% with 95% confidence`,
      pass:
        h.clean >= 3000 &&
        h.falseRollbacks === 0 &&
        (h.falseRollbackCi?.high ?? 1) < 0.005,
      detail: `${h.falseRollbacks} rollbacks in ${
        h.clean
      } healthy runs, rate ${pct(h.falseRollbackRate)} (95% CI ${pct(
        h.falseRollbackCi?.low ?? null,
      )}-${pct(h.falseRollbackCi?.high ?? null)})`,
    });

  const missingCategories = ['outage', 'stale', 'no_canary_traffic'];
  const missingRuns = runs.filter(
    r => missingCategories.includes(r.category) && !r.regression,
  );
  const missingTotal = runs.filter(
    r => r.outcomes[judge].cause === 'missing_data',
  ).length;
  if (missingRuns.length || missingTotal) {
    const missingData = missingTotal;
    const rolled = missingRuns.filter(
      r => r.outcomes[judge].rollbackAt !== null,
    );
    // A rollback before any data went missing cannot have been caused by it.
    const afterMissing = rolled.filter(
      r =>
        r.firstMissingSeconds !== null &&
        (r.outcomes[judge].rollbackAt as number) >= r.firstMissingSeconds,
    ).length;
    checks.push({
      name: 'no rollback caused by missing data or outages',
      pass: missingData === 0 && afterMissing === 0,
      detail: `${missingData} rollbacks resting on missing data in all ${
        runs.length
      } runs; ${rolled.length} rollbacks in ${
        missingRuns.length
      } outage/stale/no-traffic runs, ${afterMissing} of them after data first went missing${
        rolled.length > afterMissing
          ? ` (${
              rolled.length - afterMissing
            } before: false rollbacks on the metrics, as in healthy runs)`
          : ''
      }`,
    });
  }

  const gross = runs.filter(
    r =>
      r.category === 'gross' &&
      r.regression &&
      (r.rps ?? 0) >= 10 &&
      r.scrapeIntervalSeconds === 15,
  );
  const g = figures(gross, judge);
  if (gross.length)
    checks.push({
      name: 'gross regressions, >= 10 rps, 15 s scrapes: rolled back within 60 s at p90, never missed',
      pass:
        g.regressions > 0 &&
        g.missed === 0 &&
        (g.timeToRollback.p90 ?? Infinity) <= 60,
      detail: `p90 time to rollback ${secs(
        g.timeToRollback.p90,
      )} (median ${secs(g.timeToRollback.median)}), missed ${g.missed} of ${
        g.regressions
      }`,
    });

  const target = runs.filter(
    r => r.category === 'target_error' && r.regression,
  );
  // The policy's warm-up delays every verdict but a gross failure's: a
  // regression from the canary's start is judged from the end of the
  // warm-up, and one rolled back during it counts as 0 s.
  const warmup = BENCH_POLICY.warmupSeconds;
  const afterWarmup = (subset: readonly RunResult[]) =>
    figures(
      subset.map(r => ({
        ...r,
        onsetSeconds: Math.min(
          Math.max(r.onsetSeconds ?? 0, warmup),
          Math.max(
            r.onsetSeconds ?? 0,
            r.outcomes[judge].rollbackAt ?? Infinity,
          ),
        ),
      })),
      judge,
    );
  if (gross.length) {
    const gw = afterWarmup(gross);
    checks.push({
      name: `the same, timed from the end of the ${warmup}-s warm-up for regressions that begin in it (for information)`,
      pass:
        gw.regressions > 0 &&
        gw.missed === 0 &&
        (gw.timeToRollback.p90 ?? Infinity) <= 60,
      detail: `p90 time to rollback ${secs(
        gw.timeToRollback.p90,
      )} (median ${secs(gw.timeToRollback.median)})`,
    });
  }
  for (const scrape of [15, 5, 60]) {
    const subset = target.filter(r => r.scrapeIntervalSeconds === scrape);
    if (!subset.length) continue;
    const f = figures(subset, judge);
    checks.push({
      name: `error rate 0.5% -> 1.5% at 100 rps, ${scrape} s scrapes: rolled back within 90 s at p90, at most 10% missed${
        scrape === 15 ? '' : ' (other scrape interval, for information)'
      }`,
      pass:
        (f.timeToRollback.p90 ?? Infinity) <= 90 && (f.missedRate ?? 1) <= 0.1,
      detail: `p90 time to rollback ${secs(
        f.timeToRollback.p90,
      )} (median ${secs(f.timeToRollback.median)}), missed ${f.missed} of ${
        f.regressions
      } (${pct(f.missedRate)}); from the end of the warm-up ${secs(
        afterWarmup(subset).timeToRollback.p90,
      )} (median ${secs(afterWarmup(subset).timeToRollback.median)})`,
    });
  }

  // Canaries within the policy or not to blame: never rolled back.
  for (const category of CLEAN_CATEGORIES) {
    const subset = runs.filter(r => r.category === category);
    if (!subset.length) continue;
    const f = figures(subset, judge);
    checks.push({
      name: `${category}: no rollback in at least 300 runs, false-rollback rate under 1% with 95% confidence`,
      pass:
        f.clean >= 300 &&
        f.falseRollbacks === 0 &&
        (f.falseRollbackCi?.high ?? 1) < 0.01,
      detail: `${f.falseRollbacks} rollbacks in ${f.clean} runs (95% CI ${pct(
        f.falseRollbackCi?.low ?? null,
      )}-${pct(f.falseRollbackCi?.high ?? null)})`,
    });
  }

  const creeps = runs.filter(r => r.category === 'latency_creep');
  if (creeps.length) {
    const f = figures(creeps, judge);
    // The issue's target: none rolled back before its limit. Catching
    // every creep within the recording is this bench's own, shown apart.
    checks.push({
      name: 'latency creeps: no rollback before the canary p95 passes the policy limit',
      pass: f.falseRollbacks === 0 && f.rolledBackBeforeOnset === 0,
      detail: `${
        f.rolledBackBeforeOnset + f.falseRollbacks
      } rolled back early in ${creeps.length} runs`,
    });
    checks.push({
      name: "latency creeps: none missed within the run (this bench's own, for information)",
      pass: f.missed === 0,
      detail: `${f.missed} of ${
        f.regressions
      } missed; time to rollback after the limit ${secs(
        f.timeToRollback.median,
      )} / ${secs(f.timeToRollback.p90)} (median / p90)`,
    });
  }

  const quiet = runs.filter(r => r.category === 'very_low_traffic');
  if (quiet.length) {
    const f = figures(quiet, judge);
    // The warm-up, the policy's deadline without a decision, and a scrape.
    const bound = warmup + BENCH_POLICY.holdDeadlineMs / 1000 + 60;
    checks.push({
      name: `very low traffic (0.01-0.1 rps): no false rollback in at least 300 clean runs, under 1% with 95% confidence; every regression rolled back or escalated to the owners within ${secs(
        bound,
      )}`,
      pass:
        f.falseRollbacks === 0 &&
        f.clean >= 300 &&
        (f.falseRollbackCi?.high ?? 1) < 0.01 &&
        f.undecided === 0 &&
        (f.timeToDecide.max ?? Infinity) <= bound,
      detail: `${f.falseRollbacks} rollbacks in ${
        f.clean
      } clean runs (95% CI ${pct(f.falseRollbackCi?.low ?? null)}-${pct(
        f.falseRollbackCi?.high ?? null,
      )}); of ${f.regressions} regressions ${
        f.regressions - f.missed
      } rolled back, ${
        f.undecided
      } neither rolled back nor escalated; rolled back or escalated ${secs(
        f.timeToDecide.median,
      )} / ${secs(f.timeToDecide.p90)} / ${secs(
        f.timeToDecide.max,
      )} after the onset (median / p90 / max)`,
    });
  }
  return checks;
}

// ------------------------------------------------------------- formatting

export function pct(value: number | null, digits = 2): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  return `${(value * 100).toFixed(digits)}%`;
}

export function secs(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  if (value < 120) return `${Math.round(value)} s`;
  if (value < 7200) return `${(value / 60).toFixed(1)} min`;
  return `${(value / 3600).toFixed(2)} h`;
}

function count(value: number | null): string {
  if (value === null) return 'n/a';
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  return String(Math.round(value));
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

/** The categories in the order of the corpus, then any others. */
function categoriesOf(runs: readonly RunResult[]): string[] {
  const order: readonly string[] = CATEGORIES;
  const seen = [...new Set(runs.map(r => r.category))];
  return [
    ...order.filter(c => seen.includes(c)),
    ...seen.filter(c => !order.includes(c)).sort(),
  ];
}

function figureRow(label: string, f: Figures): string[] {
  return [
    label,
    String(f.runs),
    f.clean
      ? `${f.falseRollbacks}/${f.clean} ${pct(f.falseRollbackRate)} [${pct(
          f.falseRollbackCi?.low ?? null,
        )}, ${pct(f.falseRollbackCi?.high ?? null)}]`
      : '-',
    f.regressions
      ? `${f.missed}/${f.regressions} ${pct(f.missedRate, 1)}`
      : '-',
    f.regressions
      ? `${secs(f.timeToRollback.median)} / ${secs(f.timeToRollback.p90)}${
          f.rolledBackBeforeOnset
            ? ` (+${f.rolledBackBeforeOnset} before onset)`
            : ''
        }`
      : '-',
    f.regressions
      ? `${count(f.badRequests.median)} / ${count(f.badRequests.p90)}`
      : '-',
    String(f.missingDataRollbacks),
    f.clean
      ? `${pct(f.promoted / f.clean, 0)}: ${secs(
          f.timeToPromote.median,
        )} / ${secs(f.timeToPromote.p90)}`
      : '-',
  ];
}

const HEADER = [
  'category',
  'runs',
  'false rollbacks [95% CI]',
  'missed',
  'time to rollback med / p90',
  'bad requests med / p90',
  'rollbacks on missing data',
  'promoted: time med / p90',
];

/** The report as printed: a table per judge, breakdowns, and the targets. */
export function formatReport(
  runs: readonly RunResult[],
  judges: readonly JudgeName[] = JUDGE_NAMES,
): string {
  const out: string[] = [];
  const categories = categoriesOf(runs);
  for (const judge of judges) {
    out.push(`## ${JUDGE_LABELS[judge]}`, '');
    const rows = categories.map(c =>
      figureRow(
        c,
        figures(
          runs.filter(r => r.category === c),
          judge,
        ),
      ),
    );
    rows.push(figureRow('all', figures(runs, judge)));
    out.push(table(HEADER, rows), '');
    if (judge === 'glidepath') {
      const escalated = figures(runs, judge).escalated;
      out.push(
        `Went ${secs(
          BENCH_POLICY.holdDeadlineMs / 1000,
        )} without a decision (holding without data, or without enough evidence either way) and escalated (paused, owners notified) in ${escalated} runs.`,
        '',
      );
    }
  }

  out.push('## Side by side', '');
  const sideHeader = ['measure', ...judges];
  const all = (judge: JudgeName) => figures(runs, judge);
  const of = (category: string, judge: JudgeName) =>
    figures(
      runs.filter(r => r.category === category),
      judge,
    );
  const side: string[][] = [
    [
      'healthy: false rollbacks',
      ...judges.map(j => {
        const f = of('healthy', j);
        return `${f.falseRollbacks}/${f.clean} (${pct(f.falseRollbackRate)})`;
      }),
    ],
    [
      'all clean runs: false rollbacks',
      ...judges.map(j => {
        const f = all(j);
        return `${f.falseRollbacks}/${f.clean} (${pct(f.falseRollbackRate)})`;
      }),
    ],
    [
      'all regressions: missed',
      ...judges.map(j => {
        const f = all(j);
        return `${f.missed}/${f.regressions} (${pct(f.missedRate, 1)})`;
      }),
    ],
    [
      'gross: time to rollback med / p90',
      ...judges.map(j => {
        const f = of('gross', j);
        return `${secs(f.timeToRollback.median)} / ${secs(
          f.timeToRollback.p90,
        )}`;
      }),
    ],
    [
      'all regressions: bad requests, total',
      ...judges.map(j => count(all(j).badRequests.total)),
    ],
    [
      'rollbacks on missing data',
      ...judges.map(j => String(all(j).missingDataRollbacks)),
    ],
    [
      'healthy: promoted, time med / p90',
      ...judges.map(j => {
        const f = of('healthy', j);
        return `${pct(f.promoted / Math.max(1, f.clean), 0)}: ${secs(
          f.timeToPromote.median,
        )} / ${secs(f.timeToPromote.p90)}`;
      }),
    ],
  ];
  out.push(table(sideHeader, side), '');

  out.push('## False rollbacks of clean runs by scrape interval', '');
  const intervals = [...new Set(runs.map(r => r.scrapeIntervalSeconds))].sort(
    (a, b) => a - b,
  );
  out.push(
    table(
      ['scrape', ...judges],
      intervals.map(s => [
        `${s} s`,
        ...judges.map(j => {
          const f = figures(
            runs.filter(r => r.scrapeIntervalSeconds === s),
            j,
          );
          return `${f.falseRollbacks}/${f.clean}`;
        }),
      ]),
    ),
    '',
  );

  out.push('## Regressions by kind: missed, time to rollback med / p90', '');
  const regressionRuns = runs.filter(r => r.regression);
  const kinds = [
    ...new Set(regressionRuns.map(r => `${r.category}/${r.kind}`)),
  ].sort();
  out.push(
    table(
      ['category/kind', 'runs', ...judges],
      kinds.map(k => {
        const subset = regressionRuns.filter(
          r => `${r.category}/${r.kind}` === k,
        );
        return [
          k,
          String(subset.length),
          ...judges.map(j => {
            const f = figures(subset, j);
            return `${f.missed} missed, ${secs(
              f.timeToRollback.median,
            )} / ${secs(f.timeToRollback.p90)}`;
          }),
        ];
      }),
    ),
    '',
  );

  if (judges.includes('glidepath')) {
    const beyond = regressionRuns.filter(r => r.exceedsDefaultPolicy === true);
    const within = regressionRuns.filter(r => r.exceedsDefaultPolicy === false);
    const fb = figures(beyond, 'glidepath');
    const fw = figures(within, 'glidepath');
    out.push(
      `Glidepath's default policy tolerates +1 pp of errors and a p95 1.75x or +500 ms worse, whichever is less: of the regressions beyond those limits it missed ${fb.missed} of ${fb.regressions}; of those within them (which the policy lets through by design) it missed ${fw.missed} of ${fw.regressions}.`,
      '',
    );
  }

  out.push("## Targets (the issue's, for Glidepath's judge)", '');
  for (const check of checkTargets(runs, 'glidepath')) {
    out.push(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
  }
  out.push('');
  return out.join('\n');
}
