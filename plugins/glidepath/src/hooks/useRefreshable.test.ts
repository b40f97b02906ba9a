import { act, renderHook, waitFor } from '@testing-library/react';
import { deferred } from '../__testUtils__/render';
import { useRefreshable } from './useRefreshable';

function setup(load: (key: string) => Promise<string>) {
  return renderHook(
    ({ key }: { key: string }) => useRefreshable(key, () => load(key), [key]),
    { initialProps: { key: 'a' } },
  );
}

describe('useRefreshable', () => {
  it('keeps the last value when a refresh fails, and reports the failure', async () => {
    const load = jest.fn(async (key: string) => `${key}1`);
    const { result } = setup(load);
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBe('a1'));

    load.mockRejectedValueOnce(new Error('503'));
    act(() => result.current.refresh());
    await waitFor(() =>
      expect(result.current.refreshError?.message).toBe('503'),
    );
    expect(result.current.value).toBe('a1');
    expect(result.current.error).toBeUndefined();
    expect(result.current.loading).toBe(false);
  });

  it('reports a first failure as the error', async () => {
    const { result } = setup(async () => {
      throw new Error('down');
    });
    await waitFor(() => expect(result.current.error?.message).toBe('down'));
    expect(result.current.value).toBeUndefined();
    expect(result.current.refreshError).toBeUndefined();
  });

  it("never shows another key's value while the new key loads", async () => {
    const b = deferred<string>();
    const { result, rerender } = setup(async key =>
      key === 'a' ? 'a1' : b.promise,
    );
    await waitFor(() => expect(result.current.value).toBe('a1'));

    rerender({ key: 'b' });
    expect(result.current.value).toBeUndefined();
    expect(result.current.loading).toBe(true);
    await act(async () => b.resolve('b1'));
    expect(result.current.value).toBe('b1');
  });

  it('runs a refresh asked for during a load after it', async () => {
    const first = deferred<string>();
    const load = jest
      .fn<Promise<string>, [string]>()
      .mockReturnValueOnce(first.promise)
      .mockResolvedValue('a2');
    const { result } = setup(load);
    act(() => result.current.refresh());
    await act(async () => first.resolve('a1'));
    await waitFor(() => expect(result.current.value).toBe('a2'));
    expect(load).toHaveBeenCalledTimes(2);
  });
});
