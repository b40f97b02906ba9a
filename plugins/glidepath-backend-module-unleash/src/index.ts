/**
 * Glidepath feature flags from Unleash: every annotated entity's flags with
 * their type, age, environments, last evaluation and lifecycle stage through
 * Unleash's Admin API, and archiving of the flags Glidepath's cleanup
 * retires.
 *
 * @packageDocumentation
 */
export { glidepathModuleUnleash as default } from './module';
export { UnleashFlagProvider } from './UnleashFlagProvider';
export {
  readUnleashConfig,
  UNLEASH_DEFAULT_TIMEOUT_MS,
  type UnleashConfig,
} from './config';
