import {
  checkHypothesis,
  faultCarrier,
  formatSeconds,
  gameDayHeld,
  measureDrill,
  median,
  parseHypothesis,
} from './timings';

const T0 = '2026-12-06T10:00:00.000Z';
const at = (seconds: number) =>
  new Date(Date.parse(T0) + seconds * 1000).toISOString();

const release = (
  phase: 'progressing' | 'rolled_back' | 'succeeded' | 'aborted' | 'failed',
  finishedAt: number | null = null,
) => ({
  id: 'r2',
  entityRef: 'component:default/cart',
  version: '2.4.0',
  phase,
  startedAt: at(60),
  finishedAt: finishedAt === null ? null : at(finishedAt),
});

const fail = (s: number, decision: 'continue' | 'rollback' = 'continue') => ({
  evaluatedAt: at(s),
  verdict: 'fail' as const,
  decision,
});
const pass = (s: number) => ({
  evaluatedAt: at(s),
  verdict: 'pass' as const,
  decision: 'continue' as const,
});
const rollback = (requested: number, finished: number | null) => ({
  action: 'rollback' as const,
  state: finished === null ? ('running' as const) : ('succeeded' as const),
  requestedAt: at(requested),
  finishedAt: finished === null ? null : at(finished),
});

describe('faultCarrier', () => {
  const releases = [
    { id: 'old', version: '1.0.0', startedAt: at(-30) },
    { id: 'b', version: '1.2.0', startedAt: at(90) },
    { id: 'a', version: '1.2.0', startedAt: at(90) },
    { id: 'first', version: '1.1.0', startedAt: at(60) },
    // A rollback test's restore of 1.0.0 and its roll forward: not carriers.
    { id: 'restore', version: '1.0.0', startedAt: at(10) },
  ];
  it.each([
    [at(0), 'first'],
    [at(-30), 'old'],
    [at(61), 'a'],
    [at(91), undefined],
  ])('asked at %s: %s', (requestedAt, id) => {
    expect(faultCarrier(requestedAt, releases)?.id).toBe(id);
  });
  it('skips a release of a version the environment ran before the drill', () => {
    expect(
      faultCarrier(at(0), [
        { id: 'r1', version: '2.0.0', startedAt: at(-100) },
        { id: 'r2', version: '2.1.0', startedAt: at(-50) },
        { id: 'restore', version: '2.0.0', startedAt: at(5) },
        { id: 'forward', version: '2.1.0', startedAt: at(20) },
        { id: 'next', version: '2.2.0', startedAt: at(40) },
      ])?.id,
    ).toBe('next');
  });
});

describe('measureDrill', () => {
  const base = {
    entityRef: 'component:default/cart',
    requestedAt: T0,
    analyses: [],
    actions: [],
    now: at(300),
    expireAfterSeconds: 86_400,
  };

  it.each([
    [
      'no release yet: waiting',
      { release: undefined },
      { state: 'waiting', injectedAt: null },
    ],
    [
      'no release after a day: expired',
      { release: undefined, now: at(86_401) },
      {
        state: 'expired',
        stateReason:
          'No release of component:default/cart started within 24 h of the drill, so none carried its fault',
      },
    ],
    [
      'the carrier runs, nothing judged yet',
      { release: release('progressing') },
      { state: 'running', injectedAt: at(60), detectedAt: null },
    ],
    [
      'detected, rollback decided, rolled back and healthy',
      {
        release: release('rolled_back', 150),
        analyses: [pass(70), fail(90), fail(100, 'rollback'), fail(130)],
        actions: [rollback(101, 140)],
      },
      {
        state: 'recovered',
        releaseId: 'r2',
        version: '2.4.0',
        injectedAt: at(60),
        detectedAt: at(90),
        rollbackDecidedAt: at(100),
        rolledBackAt: at(140),
        healthyAt: at(150),
        notifiedAt: at(100),
        finishedAt: at(150),
      },
    ],
    [
      'the provider reports rolled back before the action finished: healthy at the action',
      {
        release: release('rolled_back', 130),
        analyses: [fail(100, 'rollback')],
        actions: [rollback(101, 140)],
      },
      { rolledBackAt: at(140), healthyAt: at(140), state: 'recovered' },
    ],
    [
      'rolled back by the provider itself, no action, no analysis',
      { release: release('rolled_back', 200) },
      {
        state: 'recovered',
        detectedAt: null,
        rollbackDecidedAt: null,
        rolledBackAt: at(200),
        healthyAt: at(200),
        notifiedAt: null,
      },
    ],
    [
      'a rollback asked for by hand before any analysis decided',
      {
        release: release('progressing'),
        analyses: [fail(95)],
        actions: [rollback(80, null)],
      },
      {
        state: 'running',
        rollbackDecidedAt: at(80),
        rolledBackAt: null,
        notifiedAt: null,
      },
    ],
    [
      'completed with the fault: not detected',
      { release: release('succeeded', 400), analyses: [pass(90)] },
      {
        state: 'not_detected',
        stateReason: '2.4.0 completed with the fault: no analysis failed it',
        finishedAt: at(400),
      },
    ],
    [
      'failed its analysis but completed',
      { release: release('succeeded', 400), analyses: [fail(90)] },
      {
        state: 'not_detected',
        stateReason:
          '2.4.0 failed its analysis but completed without a rollback',
        detectedAt: at(90),
      },
    ],
    [
      'aborted instead of rolled back',
      { release: release('aborted', 120) },
      {
        state: 'failed',
        stateReason: '2.4.0 was aborted instead of being rolled back',
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(measureDrill({ ...base, ...input })).toEqual(
      expect.objectContaining(expected),
    );
  });
});

describe('parseHypothesis', () => {
  it.each([
    ['rolled back within 2 minutes, owners notified', 120, true],
    ['Rolled back in 90 s', 90, false],
    ['recovered within 1.5 min; the owners get a notification', 90, true],
    ['within 1 hour', 3600, false],
    ['2 canaries fail, then rolled back within 45 seconds', 45, false],
    ['the owners are notified', null, true],
    ['the team learns something', null, false],
  ])('%s', (text, limitSeconds, needsNotification) => {
    expect(parseHypothesis(text)).toEqual({ limitSeconds, needsNotification });
  });
});

describe('checkHypothesis', () => {
  const recovered = {
    state: 'recovered' as const,
    stateReason: null,
    injectedAt: at(60),
    healthyAt: at(150),
    notifiedAt: at(100),
  };
  const h = (limitSeconds: number | null, needsNotification: boolean) => ({
    limitSeconds,
    needsNotification,
  });
  it.each([
    [
      'held: within the limit, notified',
      h(120, true),
      recovered,
      {
        held: true,
        reasons: [
          'Recovered in 1 min 30 s, within 2 min',
          'Owners notified 40 s after the fault started',
        ],
      },
    ],
    [
      'over the limit',
      h(60, false),
      recovered,
      { held: false, reasons: ['Recovered in 1 min 30 s, over 1 min'] },
    ],
    [
      'the owners were not notified',
      h(120, true),
      { ...recovered, notifiedAt: null },
      {
        held: false,
        reasons: [
          'Recovered in 1 min 30 s, within 2 min',
          'The owners were not notified',
        ],
      },
    ],
    [
      'nothing to check',
      h(null, false),
      recovered,
      {
        held: null,
        reasons: [
          'The hypothesis names no time to recover and no notification: the facilitator judges it',
        ],
      },
    ],
    [
      'still running',
      h(120, true),
      { ...recovered, state: 'running' as const, healthyAt: null },
      { held: null, reasons: ['The drill runs'] },
    ],
    [
      'the fault got through',
      h(120, true),
      {
        ...recovered,
        state: 'not_detected' as const,
        stateReason: '2.4.0 completed with the fault',
      },
      {
        held: false,
        reasons: ['Not rolled back: 2.4.0 completed with the fault'],
      },
    ],
    [
      'refused',
      h(120, true),
      {
        ...recovered,
        state: 'refused' as const,
        stateReason: 'production',
      },
      { held: null, reasons: ['The drill did not run: production'] },
    ],
    [
      'not started',
      h(120, true),
      null,
      { held: null, reasons: ['The drill has not started'] },
    ],
  ])('%s', (_name, hypothesis, drill, expected) => {
    expect(checkHypothesis(hypothesis, drill)).toEqual(expected);
  });
});

describe('gameDayHeld, median, formatSeconds', () => {
  it.each([
    [[true, true], true],
    [[true, false], false],
    [[true, null], null],
    [[null, false], false],
    [[], null],
  ])('%j held: %s', (helds, expected) => {
    expect(gameDayHeld(helds.map(held => ({ held, reasons: [] })))).toBe(
      expected,
    );
  });
  it.each([
    [[], null],
    [[5], 5],
    [[9, 1, 5], 5],
    [[4, 1, 3, 2], 2.5],
  ])('median of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
  it.each([
    [41, '41 s'],
    [120, '2 min'],
    [90, '1 min 30 s'],
    [3900, '1 h 5 min'],
    [86_400, '24 h'],
  ])('%s s reads %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});
