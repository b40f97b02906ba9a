/**
 * Extension points and provider interfaces for Glidepath backend modules.
 *
 * @packageDocumentation
 */
export * from './RolloutProvider';
export * from './extensions';
