import type { FlagState } from '@glidepath/backstage-plugin-common';

/** What the flag summary needs of one flag. */
export type FlagFact = {
  entityRef: string;
  owner: string | null;
  state: FlagState;
  createdAt: Date;
  staleAt: Date | null;
  /** When the flag's definition last changed in its provider, if known. */
  changedAt?: Date | null;
  /** Whether its provider is a simulation (the sandbox). */
  simulated?: boolean;
};

/** The portal page's figures. */
export type FlagSummaryFigures = {
  total: number;
  /** How many come from a simulated provider. */
  simulated: number;
  counts: Partial<Record<FlagState, number>>;
  /** Teams (owners) ranked: most stale flags first, then most flags. */
  teams: Array<{
    owner: string | null;
    total: number;
    stale: number;
    counts: Partial<Record<FlagState, number>>;
  }>;
  /** How many flags are how old. */
  ages: Array<{ label: string; count: number }>;
  /**
   * Flag debt at the end of each of the last 26 weeks, oldest first: of
   * today's flags, those that existed then and how many were stale then.
   */
  debt: Array<{ weekEnding: string; flags: number; stale: number }>;
};

const DAY = 24 * 60 * 60 * 1000;

/** Age buckets in days: [label, upper bound exclusive]. */
export const AGE_BUCKETS: Array<[string, number]> = [
  ['< 2 weeks', 14],
  ['2-6 weeks', 42],
  ['6 wk-3 mo', 91],
  ['3-6 months', 182],
  ['6-12 months', 365],
  ['> 1 year', Infinity],
];

/** The portal page's figures from the flags of readable entities. */
export function summarizeFlags(
  facts: FlagFact[],
  now: Date,
  weeks = 26,
): FlagSummaryFigures {
  const counts: Partial<Record<FlagState, number>> = {};
  const teams = new Map<string | null, FlagSummaryFigures['teams'][number]>();
  const ages = AGE_BUCKETS.map(([label]) => ({ label, count: 0 }));
  for (const fact of facts) {
    counts[fact.state] = (counts[fact.state] ?? 0) + 1;
    const team = teams.get(fact.owner) ?? {
      owner: fact.owner,
      total: 0,
      stale: 0,
      counts: {},
    };
    team.total += 1;
    if (fact.state === 'stale') team.stale += 1;
    team.counts[fact.state] = (team.counts[fact.state] ?? 0) + 1;
    teams.set(fact.owner, team);
    const age = (now.getTime() - fact.createdAt.getTime()) / DAY;
    const bucket = AGE_BUCKETS.findIndex(([, upper]) => age < upper);
    ages[bucket === -1 ? ages.length - 1 : bucket].count += 1;
  }
  const debt: FlagSummaryFigures['debt'] = [];
  for (let w = weeks - 1; w >= 0; w--) {
    const end = new Date(now.getTime() - w * 7 * DAY);
    let existing = 0;
    let stale = 0;
    for (const fact of facts) {
      if (fact.createdAt.getTime() > end.getTime()) continue;
      existing += 1;
      if (fact.staleAt && fact.staleAt.getTime() <= end.getTime()) stale += 1;
    }
    debt.push({
      weekEnding: end.toISOString().slice(0, 10),
      flags: existing,
      stale,
    });
  }
  return {
    total: facts.length,
    simulated: facts.filter(fact => fact.simulated).length,
    counts,
    teams: [...teams.values()].sort(
      (a, b) =>
        b.stale - a.stale ||
        b.total - a.total ||
        (a.owner ?? '~').localeCompare(b.owner ?? '~'),
    ),
    ages,
    debt,
  };
}

/**
 * The instants the summary's figures are counted at, so that a database can
 * count them: for each age bucket but the last, a flag created after
 * `youngerThan[i]` is younger than the bucket's upper bound (age in days
 * `(now - createdAt) / day < upper` is `createdAt > now - upper days`); and
 * the end of each week of the debt, oldest first.
 */
export type FlagSummaryBounds = {
  now: Date;
  youngerThan: Date[];
  weekEnds: Date[];
};

export function flagSummaryBounds(now: Date, weeks = 26): FlagSummaryBounds {
  const youngerThan = AGE_BUCKETS.filter(([, upper]) =>
    Number.isFinite(upper),
  ).map(([, upper]) => new Date(now.getTime() - upper * DAY));
  const weekEnds: Date[] = [];
  for (let w = weeks - 1; w >= 0; w--) {
    weekEnds.push(new Date(now.getTime() - w * 7 * DAY));
  }
  return { now, youngerThan, weekEnds };
}

/**
 * What a database counts of the flags for the summary: per owner and state
 * how many, and how many from simulated providers; per age bucket how many;
 * and per week index (0 the oldest week's end, `weekEnds.length` none of
 * them) how many flags existed first at that week's end (`existedFrom`) and
 * were stale first at it (`staleFrom`: created and past their stale time).
 */
export type FlagSummaryCounts = {
  groups: Array<{
    owner: string | null;
    state: FlagState;
    total: number;
    simulated: number;
  }>;
  ages: number[];
  existedFrom: number[];
  staleFrom: number[];
};

/**
 * The portal page's figures from the database's counts (see
 * {@link FlagSummaryCounts}): the same figures as {@link summarizeFlags}
 * over the same flags.
 */
export function summarizeFlagCounts(
  counted: FlagSummaryCounts,
  bounds: FlagSummaryBounds,
): FlagSummaryFigures {
  const counts: Partial<Record<FlagState, number>> = {};
  const teams = new Map<string | null, FlagSummaryFigures['teams'][number]>();
  let total = 0;
  let simulated = 0;
  for (const group of counted.groups) {
    if (group.total === 0) continue;
    total += group.total;
    simulated += group.simulated;
    counts[group.state] = (counts[group.state] ?? 0) + group.total;
    const team = teams.get(group.owner) ?? {
      owner: group.owner,
      total: 0,
      stale: 0,
      counts: {},
    };
    team.total += group.total;
    if (group.state === 'stale') team.stale += group.total;
    team.counts[group.state] = (team.counts[group.state] ?? 0) + group.total;
    teams.set(group.owner, team);
  }
  let existed = 0;
  let stale = 0;
  return {
    total,
    simulated,
    counts,
    teams: [...teams.values()].sort(
      (a, b) =>
        b.stale - a.stale ||
        b.total - a.total ||
        (a.owner ?? '~').localeCompare(b.owner ?? '~'),
    ),
    ages: AGE_BUCKETS.map(([label], i) => ({
      label,
      count: counted.ages[i] ?? 0,
    })),
    debt: bounds.weekEnds.map((end, i) => {
      existed += counted.existedFrom[i] ?? 0;
      stale += counted.staleFrom[i] ?? 0;
      return {
        weekEnding: end.toISOString().slice(0, 10),
        flags: existed,
        stale,
      };
    }),
  };
}
