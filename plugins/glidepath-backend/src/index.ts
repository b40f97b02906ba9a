/**
 * Glidepath's backend plugin: release store, REST API, provider sync and
 * actions.
 *
 * @packageDocumentation
 */
export { glidepathPlugin as default } from './plugin';
