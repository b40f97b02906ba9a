import { DependencyList, useCallback, useEffect, useMemo, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/** A value read from Glidepath that can be read again. */
export type RefreshableState<T> = {
  /** The value, also while a refresh is running or after one failed. */
  value?: T;
  /** True while nothing has been loaded yet. */
  loading: boolean;
  /** The first load's error, when nothing could be loaded. */
  error?: Error;
  /** A later refresh's error, while the last value is still shown. */
  refreshError?: Error;
  /** Reads the value again (after the running read, if one runs). */
  refresh: () => void;
};

/**
 * Loads a value and reads it again on `refresh`. The last value loaded for
 * the same `key` is kept while a refresh runs or after one fails, so that a
 * blip while polling does not blank the page; a refresh asked for while a
 * read runs is run after it, so that a change announced mid-read is not
 * missed.
 */
export function useRefreshable<T>(
  key: string,
  load: () => Promise<T>,
  deps: DependencyList,
): RefreshableState<T> {
  // Each value is tagged with the key it was loaded for: react-use keeps
  // the previous value while it loads for new dependencies, and that value
  // belongs to another key.
  const state = useAsyncRetry(
    async () => ({ key, value: await load() }),
    // The caller names the dependencies of `load`, as with useAsync.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key, ...deps],
  );
  const { retry, loading } = state;

  // react-use ignores a retry while a load runs; remember it and run it
  // after.
  const refreshPending = useRef(false);
  const refresh = useCallback(() => {
    if (loading) {
      refreshPending.current = true;
    } else {
      retry();
    }
  }, [loading, retry]);
  useEffect(() => {
    if (!loading && refreshPending.current) {
      refreshPending.current = false;
      retry();
    }
  }, [loading, retry]);

  // react-use drops the value when a refresh fails; keep the last good one.
  const lastGood = useRef<{ key: string; value: T }>();
  if (state.value) {
    lastGood.current = state.value;
  }
  const value =
    lastGood.current?.key === key ? lastGood.current.value : undefined;

  return useMemo(
    () => ({
      value,
      loading: value === undefined && loading,
      error: value === undefined ? state.error : undefined,
      refreshError: value === undefined ? undefined : state.error,
      refresh,
    }),
    [value, loading, state.error, refresh],
  );
}

/** Calls `refresh` every `intervalMs` while `active`. */
export function usePolling(
  active: boolean,
  intervalMs: number,
  refresh: () => void,
): void {
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    const timer = setInterval(() => refreshRef.current(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
}
