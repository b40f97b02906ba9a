import { useApi } from '@backstage/core-plugin-api';
import type {
  DependencyGraph,
  GraphQuery,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../api';
import { useRefreshable } from './useRefreshable';

/**
 * The dependency graph for a query, re-read when the query changes or on
 * refresh; nothing is read while the query is undefined.
 */
export function useDependencyGraph(query: GraphQuery | undefined) {
  const api = useApi(glidepathApiRef);
  const key = JSON.stringify(query ?? null);
  return useRefreshable<DependencyGraph | undefined>(
    key,
    async () => (query ? api.getDependencyGraph(query) : undefined),
    [api],
  );
}
