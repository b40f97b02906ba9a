import {
  calendarState,
  freezeWindowProblem,
  CalendarWindow,
  releaseTrainProblem,
  scopeApplies,
  trainSlots,
  windowOccurrences,
} from './calendar';

const target = {
  entityRef: 'component:default/cart',
  environment: 'production',
  owner: 'group:default/team-checkout',
  system: 'system:default/checkout',
  domain: 'domain:default/commerce',
};

function window(patch: Partial<CalendarWindow>): CalendarWindow {
  return {
    id: 'w1',
    title: 'Weekend freeze',
    effect: 'deny',
    scope: { kind: 'organisation' },
    reason: 'No releases at the weekend',
    timezone: 'Europe/Berlin',
    start: '2026-01-02T16:00',
    rrule: 'FREQ=WEEKLY;BYDAY=FR',
    durationMinutes: 64 * 60,
    ...patch,
  };
}

describe('freezeWindowProblem', () => {
  it.each<[Partial<CalendarWindow>, string | undefined]>([
    [{}, undefined],
    [
      { timezone: 'Mars/Olympus' },
      'timezone: "Mars/Olympus" is not an IANA timezone (for example Europe/Berlin or UTC)',
    ],
    [{ rrule: 'FREQ=SOMETIMES' }, expect.stringMatching(/^rrule: /) as any],
    [
      { durationMinutes: 0 },
      'durationMinutes: a recurring window needs a whole number of minutes above 0',
    ],
    [
      { start: '2026-13-40T10:00' },
      'start: "2026-13-40T10:00" is not a local date and time (YYYY-MM-DDTHH:mm)',
    ],
    [{ reason: ' ' }, 'reason: must not be blank'],
    [
      { rrule: undefined, durationMinutes: undefined },
      'end: a one-off window needs an end (or an rrule and durationMinutes)',
    ],
    [
      {
        rrule: undefined,
        durationMinutes: undefined,
        start: '2026-12-24T00:00',
        end: '2026-12-23T00:00',
      },
      'end: must be after start',
    ],
    [
      {
        rrule: undefined,
        durationMinutes: undefined,
        start: '2026-12-24T00:00',
        end: '2027-01-02T00:00',
      },
      undefined,
    ],
  ])('%j', (patch, problem) => {
    expect(freezeWindowProblem(window(patch))).toEqual(problem);
  });

  it.each([
    ['FREQ=SOMETIMES', 'rrule: FREQ=SOMETIMES is not a valid FREQ'],
    ['FREQ=WEEKLY;INTERVAL=x', 'rrule: INTERVAL=x is not a valid INTERVAL'],
    ['FREQ=WEEKLY;BYDAY=XX', 'rrule: BYDAY=XX is not a valid BYDAY'],
    [
      'FREQ=WEEKLY;FOO=1',
      expect.stringMatching(/^rrule: "FOO" is not a recurrence rule part/),
    ],
    [
      'BYDAY=MO',
      'rrule: FREQ is missing (HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY)',
    ],
    ['FREQ=WEEKLY;BYDAY=MO,-1FR;BYHOUR=9', undefined],
  ])('an rrule of %s: %s', (rrule, problem) => {
    expect(freezeWindowProblem(window({ rrule }))).toEqual(problem);
  });
});

describe('windowOccurrences across daylight saving', () => {
  it.each([
    // Berlin: CET (+1) until 29 March 2026, CEST (+2) until 25 October.
    ['winter', '2026-03-20T00:00:00Z', '2026-03-20T15:00:00.000Z'],
    ['summer', '2026-04-03T00:00:00Z', '2026-04-03T14:00:00.000Z'],
    ['after the fall back', '2026-10-30T00:00:00Z', '2026-10-30T15:00:00.000Z'],
  ])('Fridays 16:00 Berlin in %s', (_name, from, start) => {
    const [first] = windowOccurrences(
      window({}),
      new Date(from),
      new Date(Date.parse(from) + 7 * 86_400_000),
    );
    expect(first.start.toISOString()).toBe(start);
    expect(first.end.getTime() - first.start.getTime()).toBe(64 * 3_600_000);
  });

  it('moves a local time that does not exist forward (02:30 on the spring-forward night)', () => {
    const [occurrence] = windowOccurrences(
      window({
        start: '2026-03-01T02:30',
        rrule: 'FREQ=DAILY',
        durationMinutes: 30,
      }),
      new Date('2026-03-29T00:00:00Z'),
      new Date('2026-03-29T05:00:00Z'),
    );
    // 03:30 CEST.
    expect(occurrence.start.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('trainSlots', () => {
  it('gives Tuesdays and Thursdays 10:00 Berlin, on both sides of a change', () => {
    const spec = {
      scope: { kind: 'owner' as const, ref: 'group:default/team-checkout' },
      timezone: 'Europe/Berlin',
      start: '2026-01-06T10:00',
      rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
    };
    expect(releaseTrainProblem(spec)).toBeUndefined();
    expect(
      trainSlots(spec, new Date('2026-03-25T12:00:00Z'), 3).map(d =>
        d.toISOString(),
      ),
    ).toEqual([
      '2026-03-26T09:00:00.000Z',
      '2026-03-31T08:00:00.000Z',
      '2026-04-02T08:00:00.000Z',
    ]);
    expect(releaseTrainProblem({ ...spec, timezone: 'Berlin' })).toMatch(
      /^timezone: /,
    );
    expect(releaseTrainProblem({ ...spec, scope: { kind: 'owner' } })).toBe(
      'scope.ref: an owner scope names the owner by its entity ref',
    );
    expect(
      releaseTrainProblem({
        ...spec,
        scope: { kind: 'team', ref: 'group:default/x' } as any,
      }),
    ).toBe(
      'scope.kind: "team" is not organisation, domain, system, owner, entity or environment',
    );
    expect(
      releaseTrainProblem({ ...spec, rrule: 'FREQ=WEEKLY;BYDAY=XX' }),
    ).toBe('rrule: BYDAY=XX is not a valid BYDAY');
  });
});

describe('scopeApplies', () => {
  it.each<[CalendarWindow['scope'], boolean]>([
    [{ kind: 'organisation' }, true],
    [{ kind: 'entity', ref: 'Component:default/CART' }, true],
    [{ kind: 'entity', ref: 'component:default/payments' }, false],
    [{ kind: 'owner', ref: 'group:default/team-checkout' }, true],
    [{ kind: 'system', ref: 'system:default/payments' }, false],
    [{ kind: 'domain', ref: 'domain:default/commerce' }, true],
    [{ kind: 'environment', name: 'staging' }, false],
    [{ kind: 'environment', name: 'production' }, true],
  ])('%j: %s', (scope, applies) => {
    expect(scopeApplies(scope, target)).toBe(applies);
  });
});

describe('calendarState', () => {
  const holidays = window({
    id: 'holidays',
    title: 'Holidays',
    reason: 'Holiday freeze',
    rrule: undefined,
    durationMinutes: undefined,
    start: '2026-12-24T00:00',
    end: '2027-01-04T00:00',
  });
  const businessHours = window({
    id: 'hours',
    title: 'Business hours',
    effect: 'allow',
    reason: 'Releases in business hours',
    start: '2026-01-05T09:00',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    durationMinutes: 8 * 60,
  });

  it.each<[string, CalendarWindow[], string, Record<string, unknown>]>([
    [
      'no window: open, nothing coming',
      [],
      '2026-12-07T10:00:00Z',
      { closed: false, reason: null, nextOpen: null, nextClose: null },
    ],
    [
      'a Friday evening in the weekend freeze: closed until Monday 08:00 Berlin',
      [window({})],
      '2026-12-11T17:00:00Z',
      {
        closed: true,
        reason: 'No releases at the weekend',
        windowId: 'w1',
        nextOpen: '2026-12-14T07:00:00.000Z',
        nextClose: '2026-12-18T15:00:00.000Z',
      },
    ],
    [
      'a Wednesday: open, closes Friday 16:00 Berlin',
      [window({})],
      '2026-12-09T10:00:00Z',
      {
        closed: false,
        nextOpen: null,
        nextClose: '2026-12-11T15:00:00.000Z',
        nextCloseReason: 'No releases at the weekend',
      },
    ],
    [
      'deny wins inside an allow window',
      [businessHours, holidays],
      '2026-12-28T10:00:00Z',
      {
        closed: true,
        reason: 'Holiday freeze',
        windowId: 'holidays',
        // The Monday after the holidays, 09:00 Berlin.
        nextOpen: '2027-01-04T08:00:00.000Z',
      },
    ],
    [
      'outside the allow windows: closed until the next one',
      [businessHours],
      '2026-12-08T18:00:00Z',
      {
        closed: true,
        reason: 'outside the allowed release windows (Business hours)',
        windowId: null,
        nextOpen: '2026-12-09T08:00:00.000Z',
        nextClose: '2026-12-09T16:00:00.000Z',
      },
    ],
    [
      'a window of another scope does not apply',
      [window({ scope: { kind: 'environment', name: 'staging' } })],
      '2026-12-11T17:00:00Z',
      { closed: false, nextClose: null },
    ],
  ])('%s', (_name, windows, at, expected) => {
    expect(calendarState(windows, target, new Date(at))).toMatchObject(
      expected,
    );
  });
});
