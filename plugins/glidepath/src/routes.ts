import { createRouteRef } from '@backstage/core-plugin-api';

/** The Dependencies page of the portal (`/glidepath/dependencies`). @public */
export const dependencyGraphRouteRef = createRouteRef({
  id: 'glidepath-dependencies',
});
