import type { StrategyAnnotation } from '@glidepath/backstage-plugin-common';
import {
  alignDown,
  alignUp,
  lastSlot,
  releaseDurationMs,
  SANDBOX_EPOCH,
  slotAtOrBefore,
  slotStart,
  stride,
  versionOf,
  type TrainSchedule,
} from './slots';

const S = 1000;

function schedule(overrides: Partial<TrainSchedule> = {}): TrainSchedule {
  return {
    offsetMs: 30 * S,
    releaseIntervalMs: 240 * S,
    stepDurationMs: 30 * S,
    strategy: undefined,
    baseMajor: 2,
    ...overrides,
  };
}

const CANARY = undefined;
const BLUE_GREEN: StrategyAnnotation = { strategy: 'blue_green' };
const ROLLING: StrategyAnnotation = { strategy: 'rolling' };

describe('releaseDurationMs', () => {
  it.each<[string, number, number, StrategyAnnotation | undefined]>([
    // 4 weight steps of a sixth of a pause each, and 3 pauses
    ['a default canary', 30 * S, 110 * S, CANARY],
    ['a default canary', 60 * S, 220 * S, CANARY],
    ['a blue-green release', 30 * S, 40 * S, BLUE_GREEN],
    ['a rolling update', 30 * S, 50 * S, ROLLING],
  ])(
    'times %s with %d ms pauses at %d ms',
    (_name, stepDurationMs, expected, strategy) => {
      expect(releaseDurationMs(schedule({ strategy, stepDurationMs }))).toBe(
        expected,
      );
    },
  );
});

describe('stride', () => {
  it.each<[string, Partial<TrainSchedule>, number]>([
    ['a canary that fits in its interval', { releaseIntervalMs: 240 * S }, 1],
    [
      'a canary exactly as long as its interval',
      { releaseIntervalMs: 110 * S },
      1,
    ],
    ['a canary a little longer', { releaseIntervalMs: 109 * S }, 2],
    ['a canary over two 60 s intervals', { releaseIntervalMs: 60 * S }, 2],
    ['a canary over four 30 s intervals', { releaseIntervalMs: 30 * S }, 4],
    [
      'a blue-green release in a 60 s interval',
      { releaseIntervalMs: 60 * S, strategy: BLUE_GREEN },
      1,
    ],
    [
      'a pinned service, whatever its strategy now',
      {
        releaseIntervalMs: 10 * S,
        pinned: { versions: ['1.0.0', '1.1.0'], stride: 3, firstSlot: 0 },
      },
      3,
    ],
  ])('releases %s every %d slots', (_name, overrides, expected) => {
    expect(stride(schedule(overrides))).toBe(expected);
  });
});

describe('slotStart and slotAtOrBefore', () => {
  const s = schedule();
  const epoch = SANDBOX_EPOCH.getTime();

  it.each([
    [0, epoch + 30 * S],
    [1, epoch + 270 * S],
    [10, epoch + 30 * S + 2400 * S],
    [-1, epoch - 210 * S],
  ])('starts slot %d at %d', (slot, start) => {
    expect(slotStart(s, slot)).toBe(start);
  });

  it.each([
    ['the start of slot 0', epoch + 30 * S, 0],
    ['just before it', epoch + 30 * S - 1, -1],
    ['the epoch', epoch, -1],
    ['the middle of slot 3', epoch + 30 * S + 3.5 * 240 * S, 3],
    ['the last moment of slot 3', epoch + 30 * S + 4 * 240 * S - 1, 3],
    ['the start of slot 4', epoch + 30 * S + 4 * 240 * S, 4],
    ['long before the epoch', epoch - 1000 * S, -5],
  ])('puts %s in slot %d', (_name, time, slot) => {
    expect(slotAtOrBefore(s, time)).toBe(slot);
  });

  it('finds every slot at its own start', () => {
    for (let slot = -3; slot < 50; slot++) {
      expect(slotAtOrBefore(s, slotStart(s, slot))).toBe(slot);
    }
  });
});

describe('alignDown and alignUp', () => {
  // a canary over two 60 s intervals: releases on even slots
  const s = schedule({ releaseIntervalMs: 60 * S });

  it.each([
    [0, 0, 0],
    [1, 0, 2],
    [2, 2, 2],
    [3, 2, 4],
    [7, 6, 8],
    [-1, -2, 0],
    [-3, -4, 0],
  ])('aligns slot %d down to %d and up to %d', (slot, down, up) => {
    expect(alignDown(s, slot)).toBe(down);
    expect(alignUp(s, slot)).toBe(up);
  });
});

describe('lastSlot', () => {
  it.each<[string, TrainSchedule['pinned'], number]>([
    ['a train that never stops', undefined, Infinity],
    [
      'one pinned release',
      { versions: ['1.0.0', '1.1.0'], stride: 1, firstSlot: 0 },
      0,
    ],
    [
      'two pinned releases, two slots apart',
      { versions: ['1.0.0', '1.1.0', '1.2.0'], stride: 2, firstSlot: 0 },
      2,
    ],
    [
      'two pinned releases from slot 100',
      { versions: ['1.0.0', '1.1.0', '1.2.0'], stride: 2, firstSlot: 100 },
      102,
    ],
    [
      'five pinned releases, one slot apart',
      {
        versions: ['0.1.0', '0.2.0', '0.3.0', '0.4.0', '1.0.0-rc.1', '1.0.0'],
        stride: 1,
        firstSlot: 0,
      },
      4,
    ],
  ])('stops %s at slot %d', (_name, pinned, expected) => {
    expect(lastSlot(schedule({ pinned }))).toBe(expected);
  });
});

describe('versionOf', () => {
  it.each([
    [-1, '2.0.0'],
    [0, '2.0.1'],
    [98, '2.0.99'],
    [99, '2.1.0'],
    [1234, '2.12.35'],
    [9998, '2.99.99'],
    [9999, '3.0.0'],
    [20_000, '4.0.1'],
  ])('numbers slot %d %s', (slot, version) => {
    expect(versionOf(schedule({ baseMajor: 2 }), slot)).toBe(version);
  });

  it.each([
    [-1, '1.0.0'],
    [9, '1.0.0'],
    [10, '1.1.0'],
    [12, '1.2.0'],
  ])(
    'gives slot %d of a pinned service from slot 10 its listed %s',
    (slot, version) => {
      const pinned = {
        versions: ['1.0.0', '1.1.0', '1.2.0'],
        stride: 2,
        firstSlot: 10,
      };
      expect(versionOf(schedule({ pinned }), slot)).toBe(version);
    },
  );
});
