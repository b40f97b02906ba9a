import { CleanupFlag, decideCleanup } from './cleanup';

const NOW = new Date('2026-12-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

function flag(patch: Partial<CleanupFlag> = {}): CleanupFlag {
  return {
    id: 'f1',
    name: 'old-banner',
    state: 'stale',
    type: 'release',
    keptUntil: null,
    servesEveryone: 'true',
    inventoryStale: false,
    canArchive: true,
    announcement: null,
    ...patch,
  };
}

const announced = (dueInDays: number) => ({
  announcedAt: at(dueInDays - 14),
  dueAt: at(dueInDays),
});

describe('decideCleanup', () => {
  it.each<[string, Partial<CleanupFlag>, string, string]>([
    ['a stale flag, first seen stale', {}, 'announce', ''],
    ['a fresh flag', { state: 'fresh' }, 'skip', 'is not stale'],
    [
      'a launched flag (not yet stale)',
      { state: 'launched' },
      'skip',
      'is not stale',
    ],
    [
      'an announced flag that is no longer stale',
      { state: 'due_soon', announcement: announced(3) },
      'withdraw',
      'no longer stale (due_soon)',
    ],
    [
      'a stale flag on stale inventory',
      { inventoryStale: true },
      'skip',
      'nothing is decided on stale inventory',
    ],
    [
      'a due flag on stale inventory',
      { inventoryStale: true, announcement: announced(-1) },
      'skip',
      'stale inventory',
    ],
    [
      'a stale flag kept until later',
      { keptUntil: at(10) },
      'skip',
      'is kept until 2026-12-11',
    ],
    [
      'a due flag kept until later',
      { keptUntil: at(10), announcement: announced(-1) },
      'skip',
      'is kept until',
    ],
    ['a stale flag whose keep expired', { keptUntil: at(-1) }, 'announce', ''],
    [
      'an announced flag in its grace period',
      { announcement: announced(5) },
      'wait',
      'due for cleanup on 2026-12-06',
    ],
    [
      'a due flag launched to everyone',
      { announcement: announced(0) },
      'archive',
      '',
    ],
    [
      'a due flag off everywhere',
      { servesEveryone: 'false', announcement: announced(-3) },
      'archive',
      '',
    ],
    [
      'a due kill switch',
      {
        type: 'kill-switch',
        temporary: true,
        announcement: announced(-3),
      } as Partial<CleanupFlag>,
      'skip',
      'kill switch: never archived automatically',
    ],
    [
      'a due flag still rolling out',
      { servesEveryone: null, announcement: announced(-3) },
      'skip',
      'still serves different variations',
    ],
    [
      'a due flag of a provider that cannot archive',
      { canArchive: false, announcement: announced(-3) },
      'skip',
      'cannot archive flags',
    ],
  ])('%s: %s', (_name, patch, action, reason) => {
    const decision = decideCleanup(flag(patch), { now: NOW, graceDays: 14 });
    expect(decision.action).toBe(action);
    expect('reason' in decision ? decision.reason : '').toContain(reason);
  });

  it('announces with the grace period to come', () => {
    expect(decideCleanup(flag(), { now: NOW, graceDays: 14 })).toEqual({
      flagId: 'f1',
      action: 'announce',
      dueAt: at(14),
    });
    expect(decideCleanup(flag(), { now: NOW, graceDays: 3 })).toEqual({
      flagId: 'f1',
      action: 'announce',
      dueAt: at(3),
    });
  });
});
