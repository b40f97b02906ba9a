/**
 * Extension points and provider interfaces for Glidepath backend modules.
 *
 * @packageDocumentation
 */
export * from './config';
export * from './FlagProvider';
export * from './flagRef';
export * from './MetricsProvider';
export * from './RolloutProvider';
export * from './extensions';
export * from './providerHttp';
