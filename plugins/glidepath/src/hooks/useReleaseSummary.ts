import { useCallback, useEffect, useMemo, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  EntityReleaseSummary,
  isTerminalPhase,
  releaseSignalChannel,
  ReleaseSignal,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../api';
import { entityName } from '../lib/entity';

/** How often an unfinished release is re-read when no signal arrives. */
export const SUMMARY_POLL_MS = 5000;

/** An entity's release summary, kept live. */
export type ReleaseSummaryState = {
  /** The summary, also while a refresh is running or after one failed. */
  summary?: EntityReleaseSummary;
  /** True while nothing has been loaded yet. */
  loading: boolean;
  /** The first load's error, when nothing could be loaded. */
  error?: Error;
  /** A later refresh's error, while the last summary is still shown. */
  refreshError?: Error;
  /** The last message on the entity's release channel. */
  lastSignal: ReleaseSignal | null;
  refresh: () => void;
};

/**
 * Loads the entity's release summary and keeps it fresh: it is read again
 * on every message on the entity's signal channel, and every few seconds
 * while the current release is still moving (signals are optional in an
 * app, so polling is the fallback).
 */
export function useReleaseSummary(entity: Entity): ReleaseSummaryState {
  const api = useApi(glidepathApiRef);
  const name = entityName(entity);
  const entityRef = stringifyEntityRef(entity);
  const { kind, namespace } = name;
  const plainName = name.name;

  const state = useAsyncRetry(
    () => api.getEntityReleaseSummary({ kind, namespace, name: plainName }),
    [api, kind, namespace, plainName],
  );
  const { retry, loading } = state;

  // react-use ignores a retry while a load runs; remember it and run it
  // after, so that a change announced mid-load is not missed.
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

  // react-use drops the value when a refresh fails; keep the last good one
  // so that a blip while polling does not blank the page.
  const lastGood = useRef<{
    entityRef: string;
    summary: EntityReleaseSummary;
  }>();
  if (state.value) {
    lastGood.current = { entityRef, summary: state.value };
  }
  const summary =
    state.value ??
    (lastGood.current?.entityRef === entityRef
      ? lastGood.current.summary
      : undefined);

  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  const { lastSignal } = useSignal<ReleaseSignal>(
    releaseSignalChannel(entityRef),
  );
  useEffect(() => {
    if (lastSignal) {
      refreshRef.current();
    }
  }, [lastSignal]);

  const moving = Boolean(
    summary?.current && !isTerminalPhase(summary.current.phase),
  );
  useEffect(() => {
    if (!moving) {
      return undefined;
    }
    const timer = setInterval(() => refreshRef.current(), SUMMARY_POLL_MS);
    return () => clearInterval(timer);
  }, [moving]);

  return useMemo(
    () => ({
      summary,
      loading: !summary && loading,
      error: summary ? undefined : state.error,
      refreshError: summary ? state.error : undefined,
      lastSignal,
      refresh,
    }),
    [summary, loading, state.error, lastSignal, refresh],
  );
}
