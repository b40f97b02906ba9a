import { ConfigReader } from '@backstage/config';
import { ERROR_BUDGET_DEFAULTS, readErrorBudgetConfig } from './config';

const read = (errorBudget?: object) =>
  readErrorBudgetConfig(
    new ConfigReader(
      errorBudget ? { glidepath: { calendar: { errorBudget } } } : {},
    ),
  );

describe('readErrorBudgetConfig', () => {
  it('has defaults: on, readings kept 5 minutes (failures 1), 10 s to read', () => {
    expect(read()).toEqual(ERROR_BUDGET_DEFAULTS);
    expect(ERROR_BUDGET_DEFAULTS).toEqual({
      enabled: true,
      cacheTtlMs: 300_000,
      failureTtlMs: 60_000,
      timeoutMs: 10_000,
    });
  });

  it('reads the keys; a failure is never kept longer than a reading', () => {
    expect(
      read({ enabled: false, cacheTtl: { seconds: 30 }, timeout: '2s' }),
    ).toEqual({
      enabled: false,
      cacheTtlMs: 30_000,
      failureTtlMs: 30_000,
      timeoutMs: 2_000,
    });
  });

  it.each([
    [{ cacheTtl: 'soon' }, /glidepath\.calendar\.errorBudget\.cacheTtl/],
    [
      { cacheTtl: '10ms' },
      /glidepath\.calendar\.errorBudget\.cacheTtl.*at least 1000 ms/,
    ],
    [{ timeout: '1ms' }, /glidepath\.calendar\.errorBudget\.timeout/],
  ])('refuses %j naming the key', (value, message) => {
    expect(() => read(value)).toThrow(message);
  });
});
