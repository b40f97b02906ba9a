/**
 * Glidepath's release model, permissions, annotation parsing and API client,
 * shared by its frontend and backend.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './refs';
export * from './phases';
export * from './checklist';
export * from './permissions';
export * from './annotations';
export * from './environments';
export * from './rollbackTests';
export * from './calendar';
export * from './errorBudget';
export * from './requirements';
export * from './graph';
export * from './dora';
export * from './doraAttribution';
export * from './doraAggregate';
export * from './doraCsv';
export * from './doraReport';
export * from './client';
export * from './signals';
