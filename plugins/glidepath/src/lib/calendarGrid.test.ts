import type {
  FreezeWindow,
  ReleaseTrain,
} from '@glidepath/backstage-plugin-common';
import {
  itemsPerDay,
  monthDays,
  ownedScopeRefs,
  scopeConcernsTeam,
  weekDays,
  weekStart,
} from './calendarGrid';

const by = { kind: 'user' as const, ref: 'user:default/admin' };

describe('calendar grid', () => {
  it('starts weeks on Monday', () => {
    // Sunday 6 December 2026 → Monday 30 November.
    expect(weekStart(new Date(2026, 11, 6, 15)).toDateString()).toBe(
      new Date(2026, 10, 30).toDateString(),
    );
    expect(weekStart(new Date(2026, 11, 7, 0, 1)).toDateString()).toBe(
      new Date(2026, 11, 7).toDateString(),
    );
    expect(weekDays(new Date(2026, 11, 9)).map(d => d.getDate())).toEqual([
      7, 8, 9, 10, 11, 12, 13,
    ]);
  });

  it('shows whole weeks around a month', () => {
    // December 2026: Tuesday 1st to Thursday 31st → 30 Nov to 3 Jan.
    const days = monthDays(new Date(2026, 11, 15));
    expect(days).toHaveLength(35);
    expect(days[0].toDateString()).toBe(new Date(2026, 10, 30).toDateString());
    expect(days[34].toDateString()).toBe(new Date(2027, 0, 3).toDateString());
    // February 2027 starts on a Monday and has four weeks.
    expect(monthDays(new Date(2027, 1, 1))).toHaveLength(28);
  });

  it('puts a train slot on its day and a freeze on every day it covers', () => {
    const tz = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    const train: ReleaseTrain = {
      id: 't1',
      title: 'Checkout train',
      scope: { kind: 'organisation' },
      timezone: tz,
      start: '2026-11-03T10:00',
      rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
      createdBy: by,
      createdAt: '2026-01-01T00:00:00Z',
      nextSlots: [],
    };
    const freeze: FreezeWindow = {
      id: 'w1',
      title: 'Holidays',
      effect: 'deny',
      scope: { kind: 'organisation' },
      reason: 'Code freeze',
      timezone: tz,
      start: '2026-12-09T18:00',
      end: '2026-12-11T09:00',
      createdBy: by,
      createdAt: '2026-01-01T00:00:00Z',
    };
    const days = weekDays(new Date(2026, 11, 7));
    const perDay = itemsPerDay([freeze], [train], days);
    const kinds = perDay.map(items => items.map(i => i.type).join(','));
    // Mon 7, Tue 8 (train), Wed 9 (freeze from 18:00), Thu 10 (train and
    // freeze), Fri 11 (freeze until 09:00), Sat, Sun.
    expect(kinds).toEqual([
      '',
      'train',
      'window',
      'window,train',
      'window',
      '',
      '',
    ]);
  });

  it('lists the refs whose owner decides, once and lower-case', () => {
    expect(
      ownedScopeRefs([
        { kind: 'organisation' },
        { kind: 'system', ref: 'system:default/Shop' },
        { kind: 'system', ref: 'system:default/shop' },
        { kind: 'entity', ref: 'component:default/cart' },
        { kind: 'owner', ref: 'group:default/team-a' },
        { kind: 'environment', name: 'production' },
      ]),
    ).toEqual(['component:default/cart', 'system:default/shop']);
  });

  it.each([
    [{ kind: 'organisation' }, true],
    [{ kind: 'environment', name: 'production' }, true],
    [{ kind: 'owner', ref: 'group:default/Team-A' }, true],
    [{ kind: 'owner', ref: 'group:default/team-b' }, false],
    [{ kind: 'system', ref: 'system:default/shop' }, true],
    [{ kind: 'system', ref: 'system:default/search' }, false],
    [{ kind: 'entity', ref: 'component:default/unknown' }, false],
  ] as const)('scope %j concerns team-a: %s', (scope, expected) => {
    const owners = new Map([
      ['system:default/shop', 'group:default/team-a'],
      ['system:default/search', 'group:default/team-b'],
    ]);
    expect(scopeConcernsTeam(scope, 'group:default/team-a', owners)).toBe(
      expected,
    );
  });
});
