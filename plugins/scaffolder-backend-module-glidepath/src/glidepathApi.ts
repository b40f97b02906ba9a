import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { GlidepathClient } from '@glidepath/backstage-plugin-common';

/**
 * Makes Glidepath API clients that call as the user running the template:
 * Glidepath checks that user's permissions, and its audit log names them.
 */
export type GlidepathClientFactory = (
  credentials: BackstageCredentials,
) => GlidepathClient;

/** A {@link GlidepathClientFactory} from the backend's discovery and auth. */
export function glidepathClientFactory(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}): GlidepathClientFactory {
  return credentials =>
    new GlidepathClient({
      discoveryApi: deps.discovery,
      fetchApi: {
        fetch: async (input, init) => {
          const { token } = await deps.auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: 'glidepath',
          });
          const headers = new Headers(init?.headers);
          headers.set('Authorization', `Bearer ${token}`);
          return fetch(input, { ...init, headers });
        },
      },
    });
}

/**
 * The reason Glidepath gave for refusing a request ("You are not allowed to
 * roll back releases of ..."), rather than the bare status line.
 */
export function glidepathFailure(error: unknown, doing: string): Error {
  if (error instanceof ResponseError) {
    const reason = error.body?.error?.message ?? error.message;
    return new Error(
      `Glidepath refused to ${doing} (HTTP ${error.statusCode}): ${reason}`,
    );
  }
  return new Error(
    `Could not ${doing}: ${error instanceof Error ? error.message : error}`,
  );
}
