import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { FlagProvider } from './FlagProvider';
import type { MetricsProvider } from './MetricsProvider';
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

/** Where backend modules register metrics providers. @public */
export interface GlidepathMetricsProvidersExtensionPoint {
  /** Registers a provider; its `id` must be unique among metrics providers. */
  addMetricsProvider(provider: MetricsProvider): void;
}

/** @public */
export const glidepathMetricsProvidersExtensionPoint =
  createExtensionPoint<GlidepathMetricsProvidersExtensionPoint>({
    id: 'glidepath.metrics-providers',
  });

/** Where backend modules register feature-flag providers. @public */
export interface GlidepathFlagProvidersExtensionPoint {
  /** Registers a provider; its `id` must be unique among flag providers. */
  addFlagProvider(provider: FlagProvider): void;
}

/** @public */
export const glidepathFlagProvidersExtensionPoint =
  createExtensionPoint<GlidepathFlagProvidersExtensionPoint>({
    id: 'glidepath.flag-providers',
  });
