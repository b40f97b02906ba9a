/**
 * Glidepath feature flags from LaunchDarkly: every annotated entity's flags
 * with their creation date, maintainer, temporary or permanent, and per
 * environment their state, what everyone is served, status and last request
 * through LaunchDarkly's REST API v2, and archiving of the flags Glidepath's
 * cleanup retires.
 *
 * @packageDocumentation
 */
export { glidepathModuleLaunchDarkly as default } from './module';
export { LaunchDarklyFlagProvider } from './LaunchDarklyFlagProvider';
export {
  readLaunchDarklyConfig,
  LAUNCHDARKLY_DEFAULTS,
  type LaunchDarklyConfig,
} from './config';
