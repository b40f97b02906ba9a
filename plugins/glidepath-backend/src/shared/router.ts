import { stringifyEntityRef } from '@backstage/catalog-model';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import type { spec } from '../schema/openapi.generated';

/**
 * Glidepath's REST router, typed by its OpenAPI spec: each capability adds
 * its own routes to it.
 */
export type GlidepathRouter = ApiRouter<typeof spec>;

/** The entity a route's `:kind/:namespace/:name` path names. */
export function entityRefOf(params: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return stringifyEntityRef(params);
}
