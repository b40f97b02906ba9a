import type { Entity } from '@backstage/catalog-model';

/** A catalog entity in shorthand: the relations the catalog would derive. */
export type EntitySketch = {
  kind?: 'Component' | 'Resource' | 'API' | 'System' | 'Domain' | 'Group';
  name: string;
  owner?: string;
  system?: string;
  domain?: string;
  lifecycle?: string;
  dependsOn?: string[];
  consumesApis?: string[];
  providesApis?: string[];
  requires?: string;
  annotations?: Record<string, string>;
};

const REVERSE: Record<string, string> = {
  dependsOn: 'dependencyOf',
  consumesApi: 'apiConsumedBy',
  providesApi: 'apiProvidedBy',
  partOf: 'hasPart',
  ownedBy: 'ownerOf',
};

function ref(text: string, defaultKind: string): string {
  const withKind = text.includes(':') ? text : `${defaultKind}:${text}`;
  const [kind, rest] = withKind.split(':');
  return `${kind}:${rest.includes('/') ? rest : `default/${rest}`}`;
}

/**
 * Entities with the relations (both directions) the catalog's processors
 * would give them, for the in-memory catalog of tests, which does not
 * process entities.
 */
export function catalogWithRelations(sketches: EntitySketch[]): Entity[] {
  const entities = new Map<string, Entity>();
  const relations = new Map<
    string,
    Array<{ type: string; targetRef: string }>
  >();
  const add = (from: string, type: string, to: string) => {
    relations.set(from, [
      ...(relations.get(from) ?? []),
      { type, targetRef: to },
    ]);
    relations.set(to, [
      ...(relations.get(to) ?? []),
      { type: REVERSE[type], targetRef: from },
    ]);
  };
  for (const s of sketches) {
    const kind = s.kind ?? 'Component';
    const self = ref(s.name, kind.toLowerCase());
    entities.set(self, {
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: {
        name: s.name,
        namespace: 'default',
        annotations: {
          ...s.annotations,
          ...(s.requires ? { 'glidepath.dev/requires': s.requires } : {}),
        },
      },
      spec: {
        type: kind === 'Resource' ? 'database' : 'service',
        lifecycle: s.lifecycle ?? 'production',
        owner: s.owner ?? 'team-a',
        ...(s.system ? { system: s.system } : {}),
        ...(s.domain ? { domain: s.domain } : {}),
      },
    });
    if (kind !== 'Group')
      add(self, 'ownedBy', ref(s.owner ?? 'team-a', 'group'));
    if (s.system) add(self, 'partOf', ref(s.system, 'system'));
    if (s.domain) add(self, 'partOf', ref(s.domain, 'domain'));
    for (const d of s.dependsOn ?? [])
      add(self, 'dependsOn', ref(d, 'component'));
    for (const a of s.consumesApis ?? [])
      add(self, 'consumesApi', ref(a, 'api'));
    for (const a of s.providesApis ?? [])
      add(self, 'providesApi', ref(a, 'api'));
  }
  return [...entities.entries()].map(([self, entity]) => ({
    ...entity,
    relations: relations.get(self) ?? [],
  }));
}
