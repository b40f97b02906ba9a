/**
 * Extension points and provider interfaces for Glidepath backend modules.
 *
 * @packageDocumentation
 */
export * from './MetricsProvider';
export * from './RolloutProvider';
export * from './extensions';
