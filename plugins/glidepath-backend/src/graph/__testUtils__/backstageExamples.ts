/*
 * Backstage's own example catalog (backstage/backstage,
 * packages/catalog-model/examples: its systems, domains, the wayback archive
 * with its subcomponents, APIs and a resource), with the relations the
 * catalog's real BuiltinKindsEntityProcessor emits for them: the shapes
 * adopters' catalogs have, rather than shorthand written for Glidepath.
 * Only the fields the graph reads are kept (descriptions, links, tags and
 * API definitions are left out).
 */
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { BuiltinKindsEntityProcessor } from '@backstage/plugin-catalog-backend';
import type { JsonObject } from '@backstage/types';

function entity(kind: string, name: string, spec: JsonObject): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec,
  };
}

/** The example entities, as their YAML files declare them. */
export const BACKSTAGE_EXAMPLES: Entity[] = [
  // domains/
  entity('Domain', 'artists', { owner: 'team-a' }),
  entity('Domain', 'playback', { owner: 'user:frank.tiernan' }),
  // systems/
  entity('System', 'artist-engagement-portal', {
    owner: 'team-a',
    domain: 'artists',
  }),
  entity('System', 'audio-playback', {
    owner: 'team-c',
    domain: 'playback',
    type: 'feature-set',
  }),
  entity('System', 'podcast', { owner: 'user:team-b', domain: 'playback' }),
  // components/
  entity('Component', 'artist-lookup', {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'team-a',
    system: 'artist-engagement-portal',
    dependsOn: ['resource:artists-db'],
  }),
  // consumesApis names a component: a mistake adopters make too.
  entity('Component', 'www-artist', {
    type: 'website',
    lifecycle: 'production',
    owner: 'team-a',
    system: 'artist-engagement-portal',
    consumesApis: ['component:artist-lookup'],
  }),
  entity('Component', 'playback-order', {
    type: 'service',
    lifecycle: 'production',
    owner: 'user:guest',
    system: 'audio-playback',
  }),
  entity('Component', 'shuffle-api', {
    type: 'service',
    lifecycle: 'production',
    owner: 'user:guest',
    system: 'audio-playback',
  }),
  entity('Component', 'playback-sdk', {
    type: 'library',
    lifecycle: 'experimental',
    owner: 'team-c',
    system: 'audio-playback',
  }),
  entity('Component', 'podcast-api', {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'team-b',
    system: 'podcast',
  }),
  entity('Component', 'queue-proxy', {
    type: 'website',
    lifecycle: 'production',
    owner: 'team-b',
    system: 'podcast',
  }),
  // The wayback archive and its two subcomponents: no system anywhere.
  entity('Component', 'wayback-archive', {
    type: 'service',
    lifecycle: 'production',
    owner: 'team-a',
    providesApis: ['wayback-archive'],
  }),
  entity('Component', 'wayback-archive-ingestion', {
    type: 'service',
    lifecycle: 'production',
    owner: 'team-d',
    subcomponentOf: 'wayback-archive',
  }),
  entity('Component', 'wayback-archive-storage', {
    type: 'service',
    lifecycle: 'production',
    owner: 'team-a',
    subcomponentOf: 'wayback-archive',
  }),
  entity('Component', 'wayback-search', {
    type: 'service',
    lifecycle: 'production',
    owner: 'team-a',
    providesApis: ['wayback-search'],
    consumesApis: ['wayback-archive'],
  }),
  // Consumes an API ("searcher") that no example declares; provides one
  // ("playback-order") that no example declares either.
  entity('Component', 'petstore', {
    type: 'service',
    lifecycle: 'production',
    owner: 'sre',
    providesApis: ['petstore', 'streetlights', 'playback-order'],
    consumesApis: ['searcher'],
  }),
  // resources/: no lifecycle.
  entity('Resource', 'artists-db', {
    type: 'database',
    owner: 'team-a',
    system: 'artist-engagement-portal',
  }),
  // apis/
  entity('API', 'wayback-archive', {
    type: 'openapi',
    lifecycle: 'production',
    owner: 'team-a',
  }),
  entity('API', 'wayback-search', {
    type: 'openapi',
    lifecycle: 'production',
    owner: 'team-a',
  }),
  entity('API', 'petstore', {
    type: 'openapi',
    lifecycle: 'experimental',
    owner: 'team-c',
  }),
  entity('API', 'streetlights', {
    type: 'asyncapi',
    lifecycle: 'production',
    owner: 'team-c',
  }),
];

/**
 * The examples with their relations, as the catalog stores them: every
 * relation the BuiltinKindsEntityProcessor emits, kept on its source (the
 * processor emits both directions).
 */
export async function processedExamples(): Promise<Entity[]> {
  const processor = new BuiltinKindsEntityProcessor();
  const emitted: CatalogProcessorResult[] = [];
  const location = { type: 'url', target: 'https://example.com/catalog.yaml' };
  for (const example of BACKSTAGE_EXAMPLES) {
    const processed = await processor.preProcessEntity(
      structuredClone(example),
    );
    await processor.postProcessEntity(processed, location, result =>
      emitted.push(result),
    );
  }
  const relations = new Map<string, Entity['relations'] & {}>();
  for (const result of emitted) {
    if (result.type !== 'relation') continue;
    const source = stringifyEntityRef(result.relation.source);
    const list = relations.get(source) ?? [];
    list.push({
      type: result.relation.type,
      targetRef: stringifyEntityRef(result.relation.target),
    });
    relations.set(source, list);
  }
  return BACKSTAGE_EXAMPLES.map(example => ({
    ...example,
    relations: relations.get(stringifyEntityRef(example)) ?? [],
  }));
}
