import type {
  CalendarState,
  FreezeWindow,
} from '@glidepath/backstage-plugin-common';
import {
  calendarWeeks,
  describeFreezeState,
  describeScope,
  describeTrainNext,
  formatCalendarTime,
} from './calendar';

const weekend: FreezeWindow = {
  id: 'w1',
  title: 'Weekend',
  effect: 'deny',
  scope: { kind: 'environment', name: 'production' },
  reason: 'No releases at the weekend',
  timezone: 'Europe/Berlin',
  start: '2026-03-27T16:00',
  rrule: 'FREQ=WEEKLY;BYDAY=FR',
  durationMinutes: 3840,
  createdBy: { kind: 'user', ref: 'user:default/admin' },
  createdAt: '2026-01-01T00:00:00Z',
};

const open: CalendarState = {
  closed: false,
  reason: null,
  windowId: null,
  nextOpen: null,
  nextClose: null,
  nextCloseReason: null,
};

describe('the freeze state in words', () => {
  it.each([
    [
      'frozen, in the window’s timezone too',
      {
        ...open,
        closed: true,
        reason: 'No releases at the weekend',
        windowId: 'w1',
        nextOpen: '2026-03-30T07:00:00.000Z',
      },
      'America/New_York',
      /^Frozen: No releases at the weekend, opens Mon, Mar 30, 03:00 AM \(09:00 AM Europe\/Berlin\)$/,
    ],
    [
      'open with the next freeze found among the windows',
      {
        ...open,
        nextClose: '2026-04-03T14:00:00.000Z',
        nextCloseReason: 'No releases at the weekend',
      },
      'Europe/Berlin',
      /^Open; next freeze Fri, Apr 3, 04:00 PM: No releases at the weekend$/,
    ],
    [
      'open without a freeze ahead',
      open,
      'UTC',
      /^Open; no freeze within 60 days$/,
    ],
    [
      'frozen without an end in sight',
      { ...open, closed: true, reason: 'INC-1', windowId: null },
      'UTC',
      /^Frozen: INC-1, not opening within 60 days$/,
    ],
  ])('%s', (_name, state, viewer, expected) => {
    expect(describeFreezeState(state, [weekend], viewer)).toMatch(expected);
  });

  it('says the time once when the reader is in the same timezone', () => {
    expect(
      formatCalendarTime(
        '2026-04-03T14:00:00.000Z',
        'Europe/Berlin',
        'Europe/Berlin',
      ),
    ).not.toContain('Europe/Berlin');
    expect(
      formatCalendarTime('2026-04-03T14:00:00.000Z', 'Europe/Berlin', 'UTC'),
    ).toMatch(/02:00 PM \(04:00 PM Europe\/Berlin\)$/);
  });
});

describe('the weeks of the calendar page', () => {
  it('lists a window open across weeks once, and a train slot in each week', () => {
    const from = new Date('2026-12-07T12:00:00Z');
    const long = {
      ...weekend,
      id: 'w2',
      rrule: undefined,
      durationMinutes: undefined,
      start: '2026-01-01T00:00',
      end: '2030-01-01T00:00',
    };
    const train = {
      id: 't1',
      title: 'Train',
      scope: { kind: 'organisation' as const },
      timezone: 'UTC',
      start: '2026-01-06T10:00',
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
      createdBy: weekend.createdBy,
      createdAt: weekend.createdAt,
      nextSlots: [],
    };
    const weeks = calendarWeeks([long, weekend], [train], from);
    expect(weeks).toHaveLength(4);
    const ids = weeks.map(w => w.items.map(i => i.id.split('@')[0]));
    // The weekend from Friday 4 December is still open on Monday morning.
    expect(ids[0]).toEqual(['w2', 'w1', 't1', 'w1']);
    expect(ids.slice(1)).toEqual([
      ['t1', 'w1'],
      ['t1', 'w1'],
      ['t1', 'w1'],
    ]);
  });

  it('says the year of a time that is not in this one', () => {
    expect(
      formatCalendarTime('2029-12-31T23:00:00.000Z', undefined, 'UTC'),
    ).toMatch(/2029/);
  });
});

describe('describeScope', () => {
  it.each([
    [{ kind: 'organisation' }, 'Whole organisation'],
    [{ kind: 'environment', name: 'production' }, 'Environment production'],
    [
      { kind: 'owner', ref: 'group:default/team-checkout' },
      'Owner team-checkout',
    ],
    [{ kind: 'system', ref: 'system:default/checkout' }, 'System checkout'],
    [{ kind: 'entity', ref: 'cart-service' }, 'Entity cart-service'],
    [{ kind: 'domain', ref: 'not a ref:' }, 'Domain not a ref:'],
  ] as const)('%j reads "%s"', (scope, text) => {
    expect(describeScope(scope as any)).toBe(text);
  });
});

describe('describeTrainNext', () => {
  const train = {
    id: 't1',
    title: 'Checkout train',
    scope: { kind: 'organisation' as const },
    timezone: 'Europe/Berlin',
    start: '2026-01-06T10:00',
    rrule: 'FREQ=WEEKLY;BYDAY=TU',
    createdBy: { kind: 'user' as const, ref: 'user:default/admin' },
    createdAt: '2026-01-01T00:00:00Z',
  };
  it.each([
    [
      ['2026-12-08T09:00:00Z'],
      'Europe/Berlin',
      /^next slot Tue.* 8.*10:00( AM)?$/,
    ],
    [
      ['2026-12-08T09:00:00Z'],
      'UTC',
      /^next slot Tue.* 8.*09:00( AM)? \(10:00( AM)? Europe\/Berlin\)$/,
    ],
    [[], 'UTC', /^no next slot$/],
  ])('slots %j read by a reader in %s', (nextSlots, viewer, text) => {
    expect(describeTrainNext({ ...train, nextSlots }, viewer)).toMatch(text);
  });
});
