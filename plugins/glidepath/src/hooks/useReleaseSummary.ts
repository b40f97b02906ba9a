import { useMemo } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityReleaseSummary,
  isTerminalPhase,
  ReleaseSignal,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../api';
import { entityName } from '../lib/entity';
import { usePolling, useRefreshable } from './useRefreshable';
import { useReleaseSignal } from './useReleaseSignal';

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
 * when the entity's signal channel says a release or an action changed, and
 * every few seconds
 * while the current release is still moving (signals are optional in an
 * app, so polling is the fallback).
 */
export function useReleaseSummary(entity: Entity): ReleaseSummaryState {
  const api = useApi(glidepathApiRef);
  const name = entityName(entity);
  const entityRef = stringifyEntityRef(entity);
  const { kind, namespace } = name;
  const plainName = name.name;

  const {
    value: summary,
    loading,
    error,
    refreshError,
    refresh,
  } = useRefreshable(
    entityRef,
    () => api.getEntityReleaseSummary({ kind, namespace, name: plainName }),
    [api, kind, namespace, plainName],
  );

  const lastSignal = useReleaseSignal(entityRef, signal => {
    // A new analysis changes nothing in the summary; the analysis panel
    // listens for it itself.
    if (signal.type !== 'analysis-recorded') {
      refresh();
    }
  });

  usePolling(
    Boolean(summary?.current && !isTerminalPhase(summary.current.phase)),
    SUMMARY_POLL_MS,
    refresh,
  );

  return useMemo(
    () => ({ summary, loading, error, refreshError, lastSignal, refresh }),
    [summary, loading, error, refreshError, lastSignal, refresh],
  );
}
