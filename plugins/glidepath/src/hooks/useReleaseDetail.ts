import { useMemo } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  isTerminalPhase,
  ReleaseDetail,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../api';
import { usePolling, useRefreshable } from './useRefreshable';
import { useReleaseSignal } from './useReleaseSignal';

/**
 * How often an unfinished release's detail is re-read when no signal
 * arrives. Slower than the summary: the detail carries up to 500 analyses,
 * and the engine judges a canary every few tens of seconds.
 */
export const DETAIL_POLL_MS = 15_000;

/** A release with its events, actions and analyses, kept live. */
export type ReleaseDetailState = {
  /** The detail, also while a refresh is running or after one failed. */
  detail?: ReleaseDetail;
  /** True while nothing has been loaded yet. */
  loading: boolean;
  /** The first load's error, when nothing could be loaded. */
  error?: Error;
  /** A later refresh's error, while the last detail is still shown. */
  refreshError?: Error;
  refresh: () => void;
};

/**
 * Loads one release's detail (its events, actions and analyses) and keeps
 * it fresh: it is read again on every message about the release on its
 * entity's signal channel, and every few seconds while the release is
 * unfinished (signals are optional in an app, so polling is the fallback).
 */
export function useReleaseDetail(
  releaseId: string,
  entityRef: string,
): ReleaseDetailState {
  const api = useApi(glidepathApiRef);
  const {
    value: detail,
    loading,
    error,
    refreshError,
    refresh,
  } = useRefreshable(releaseId, () => api.getRelease(releaseId), [
    api,
    releaseId,
  ]);

  // Each new message about this release, not each new release id.
  useReleaseSignal(entityRef, signal => {
    if (signal.releaseId === releaseId) {
      refresh();
    }
  });

  usePolling(
    Boolean(detail && !isTerminalPhase(detail.release.phase)),
    DETAIL_POLL_MS,
    refresh,
  );

  return useMemo(
    () => ({ detail, loading, error, refreshError, refresh }),
    [detail, loading, error, refreshError, refresh],
  );
}
