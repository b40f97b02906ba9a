import { useApi } from '@backstage/core-plugin-api';
import type {
  DoraQuery,
  DoraResponse,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../api';
import { useRefreshable } from './useRefreshable';

/**
 * The DORA measures for a query, re-read when the query changes or on
 * refresh; nothing is read while the query is undefined.
 */
export function useDora(query: DoraQuery | undefined) {
  const api = useApi(glidepathApiRef);
  const key = JSON.stringify(query ?? null);
  return useRefreshable<DoraResponse | undefined>(
    key,
    async () => (query ? api.getDora(query) : undefined),
    [api],
  );
}
