import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { RolloutProvider } from './RolloutProvider';

/** Where backend modules register rollout providers. @public */
export interface GlidepathRolloutProvidersExtensionPoint {
  /** Registers a provider; its `id` must be unique. */
  addRolloutProvider(provider: RolloutProvider): void;
}

/** @public */
export const glidepathRolloutProvidersExtensionPoint =
  createExtensionPoint<GlidepathRolloutProvidersExtensionPoint>({
    id: 'glidepath.rollout-providers',
  });
