import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import authPlugin from '@backstage/plugin-auth-backend';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { Server } from 'http';
import { resolve as resolvePath } from 'path';
import request from 'supertest';
import { ownershipPermissionPolicyModule } from '../permissions/module';
import { repoRoot, waitFor } from './waitFor';

/**
 * A test-only sign-in: `GET /api/auth/as-user/refresh` with an `x-sign-in-as`
 * header signs in as that user of the catalog. The auth backend resolves the
 * user's ownership claims from the catalog exactly as it does for the guest
 * provider in the portal (the user and the groups it is a member of).
 */
const signInAsAnyUserModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'test-sign-in-as',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'as-user',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                return {
                  result: { userRef: String(req.header('x-sign-in-as')) },
                };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userRef }),
          }),
        });
      },
    });
  },
});

/**
 * Starts a backend with real auth, catalog, permission backend (with the demo
 * portal's policy) and permission clients; the catalog loads the demo catalog
 * from examples/ and catalog-info.yaml. Resolves once the catalog has
 * processed the demo company.
 */
export interface DemoBackend {
  server: Server;
  /** The `Authorization` header of a signed-in demo user. */
  asUser(userRef: string): Promise<string>;
  /** Every entity in the catalog, read as the guest. */
  fetchAllEntities(): Promise<Entity[]>;
}

export async function startDemoBackend(
  extraFeatures: Parameters<typeof startTestBackend>[0]['features'] = [],
  options: { glidepath?: JsonObject } = {},
): Promise<DemoBackend> {
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ...(options.glidepath ? { glidepath: options.glidepath } : {}),
          auth: {
            environment: 'development',
            providers: { 'as-user': {} },
          },
          permission: {
            enabled: true,
            adminGroups: ['group:default/release-admins'],
          },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'API',
                  'Resource',
                  'Location',
                  'Domain',
                  'Group',
                  'User',
                  'Template',
                ],
              },
            ],
            locations: [
              {
                type: 'file',
                target: resolvePath(repoRoot, 'examples/all.yaml'),
              },
              {
                type: 'file',
                target: resolvePath(repoRoot, 'catalog-info.yaml'),
              },
            ],
          },
        },
      }),
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      permissionsServiceFactory,
      permissionsRegistryServiceFactory,
      authPlugin,
      signInAsAnyUserModule,
      catalogPlugin,
      permissionPlugin,
      ownershipPermissionPolicyModule,
      ...extraFeatures,
    ],
  });
  const server = backend.server;

  const tokens = new Map<string, string>();
  async function asUser(userRef: string): Promise<string> {
    if (!tokens.has(userRef)) {
      const res = await request(server)
        .get('/api/auth/as-user/refresh')
        .set('X-Requested-With', 'XMLHttpRequest')
        .set('x-sign-in-as', userRef);
      if (res.status !== 200) {
        throw new Error(
          `Sign-in as ${userRef} failed: ${res.status} ${res.text}`,
        );
      }
      tokens.set(userRef, res.body.backstageIdentity.token);
    }
    return `Bearer ${tokens.get(userRef)}`;
  }

  const awaited = [
    'component:default/checkout-service',
    'component:default/status-page',
    'user:default/elena.petrova',
    'system:default/glidepath',
  ];
  // Signing the guest in fails until the catalog has the guest user.
  await waitFor(
    'the demo catalog',
    async () => {
      const res = await request(server)
        .post('/api/catalog/entities/by-refs')
        .set('Authorization', await asUser('user:default/guest'))
        .send({ entityRefs: awaited, fields: ['metadata.name'] });
      return res.status === 200 && res.body.items.every((e: unknown) => e)
        ? true
        : undefined;
    },
    { timeoutMs: 90_000 },
  );

  async function fetchAllEntities(): Promise<Entity[]> {
    const res = await request(server)
      .get('/api/catalog/entities')
      .set('Authorization', await asUser('user:default/guest'));
    if (res.status !== 200) {
      throw new Error(`Listing entities failed: ${res.status} ${res.text}`);
    }
    return res.body;
  }

  return { server, asUser, fetchAllEntities };
}
