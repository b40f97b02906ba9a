import {
  createApiFactory,
  createApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import {
  GlidepathApi,
  GlidepathClient,
} from '@glidepath/backstage-plugin-common';

/**
 * The Glidepath REST API as the frontend uses it. Override it in an app to
 * point the plugin elsewhere or to fake it in tests.
 * @public
 */
export const glidepathApiRef = createApiRef<GlidepathApi>({
  id: 'plugin.glidepath.service',
});

/**
 * The default implementation of {@link glidepathApiRef}: the generated
 * client over Backstage's discovery and fetch APIs (so requests carry the
 * user's Backstage token).
 * @public
 */
export const glidepathApiFactory = createApiFactory({
  api: glidepathApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new GlidepathClient({ discoveryApi, fetchApi }),
});

/** The same factory as an extension of the new frontend system. */
export const glidepathApiExtension = ApiBlueprint.make({
  params: defineParams => defineParams(glidepathApiFactory),
});
