import { elapsed, formatDuration } from './time';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [192_000, '3m 12s'],
    [180_000, '3m'],
    [7_500_000, '2h 5m'],
    [7_200_000, '2h'],
    [273_600_000, '3d 4h'],
    [-5_000, '0s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('elapsed', () => {
  it('measures to the finish, or to now while running', () => {
    expect(
      elapsed('2025-03-01T10:00:00.000Z', '2025-03-01T10:30:00.000Z'),
    ).toBe('30m');
    expect(
      elapsed(
        '2025-03-01T10:00:00.000Z',
        null,
        Date.parse('2025-03-01T10:00:42.000Z'),
      ),
    ).toBe('42s');
  });
});
