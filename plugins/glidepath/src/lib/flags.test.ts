import {
  dateInputValue,
  flagTypeLabel,
  formatFlagAge,
  keepUntilIso,
  lastEvaluatedText,
  summarizeFlagStates,
} from './flags';

describe('flag helpers', () => {
  it.each([
    [0, 'today'],
    [1, '1 day'],
    [52, '52 days'],
  ])('an age of %j days reads %j', (days, text) => {
    expect(formatFlagAge(days)).toBe(text);
  });

  it.each([
    [{ type: 'kill-switch', temporary: null }, 'kill switch'],
    [{ type: 'release', temporary: true }, 'release'],
    [{ type: null, temporary: true }, 'temporary'],
    [{ type: null, temporary: false }, 'permanent'],
    [{ type: null, temporary: null }, '—'],
  ])('the type of %j reads %j', (flag, text) => {
    expect(flagTypeLabel(flag)).toBe(text);
  });

  it('counts states, most urgent first', () => {
    expect(
      summarizeFlagStates([
        { state: 'fresh' },
        { state: 'stale' },
        { state: 'fresh' },
        { state: 'permanent' },
        { state: 'due_soon' },
      ]),
    ).toBe('5 flags: 1 stale, 1 due soon, 2 fresh, 1 permanent');
    expect(summarizeFlagStates([{ state: 'launched' }])).toBe(
      '1 flag: 1 launched',
    );
    expect(summarizeFlagStates([])).toBe('No flags');
  });

  it.each([
    [{ lastEvaluatedAt: '2026-12-01T10:00:00Z', evaluationKnown: true }, 'T'],
    [{ lastEvaluatedAt: null, evaluationKnown: true }, 'never'],
    [{ lastEvaluatedAt: null, evaluationKnown: false }, 'unknown'],
  ])('last evaluated %j reads %j', (flag, text) => {
    expect(lastEvaluatedText(flag, () => 'T')).toBe(text);
  });

  it('keeps until the end of the chosen day', () => {
    expect(dateInputValue(new Date('2026-12-01T12:00:00Z'), 30)).toBe(
      '2026-12-31',
    );
    const iso = keepUntilIso('2026-12-31')!;
    const until = new Date(iso);
    expect([
      until.getFullYear(),
      until.getMonth(),
      until.getDate(),
      until.getHours(),
    ]).toEqual([2026, 11, 31, 23]);
    expect(keepUntilIso('31/12/2026')).toBeUndefined();
    expect(keepUntilIso('')).toBeUndefined();
  });
});
