import type {
  GraphDirection,
  GraphScope,
} from '@glidepath/backstage-plugin-common';
import { processedExamples } from './__testUtils__/backstageExamples';
import { buildGraph } from './buildGraph';
import { EntityIndex } from './entityIndex';
import { membersOf } from './graphScope';

/*
 * The graph of Backstage's own example catalog, its relations made by the
 * catalog's real processor: systems, subcomponents, APIs and resources as
 * adopters have them.
 */

const c = (name: string) => `component:default/${name}`;
const r = (name: string) => `resource:default/${name}`;

let index: EntityIndex;
beforeAll(async () => {
  index = new EntityIndex();
  (await processedExamples()).forEach(e => index.add(e));
});

function graphOf(
  type: GraphScope['type'],
  ref: string | null,
  options: {
    depth?: number;
    direction?: GraphDirection;
    kinds?: string[];
    lifecycles?: string[];
  } = {},
) {
  const depth = type === 'all' ? Infinity : options.depth ?? 1;
  const direction = options.direction ?? 'both';
  return buildGraph(index, {
    scope: {
      type,
      ref,
      depth: Number.isFinite(depth) ? depth : null,
      direction,
    },
    roots: type === 'entity' ? [ref!] : membersOf(index, type, ref),
    depth,
    direction,
    kinds: options.kinds,
    lifecycles: options.lifecycles,
    latest: [],
    now: new Date('2026-12-06T00:00:00Z'),
  });
}

describe('the graph of Backstage example catalog', () => {
  it.each([
    [c('artist-lookup'), 'system:default/artist-engagement-portal'],
    [c('www-artist'), 'system:default/artist-engagement-portal'],
    [r('artists-db'), 'system:default/artist-engagement-portal'],
    [c('shuffle-api'), 'system:default/audio-playback'],
    [c('podcast-api'), 'system:default/podcast'],
    // Part of a component, and of no system: Backstage gives a subcomponent
    // no system of its parent's.
    [c('wayback-archive-ingestion'), null],
    [c('wayback-archive-storage'), null],
    [c('wayback-archive'), null],
  ])('%s is in system %s', (ref, system) => {
    const node = graphOf('all', null).nodes.find(n => n.entityRef === ref)!;
    expect(node.system).toBe(system);
  });

  it('takes the system, not the parent component, when a subcomponent has both', () => {
    const both = new EntityIndex();
    both.add({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'archive-index', namespace: 'default' },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
      // The processor's order: subcomponentOf before system.
      relations: [
        { type: 'partOf', targetRef: c('wayback-archive') },
        { type: 'partOf', targetRef: 'system:default/wayback' },
      ],
    });
    expect(both.nodeBase(c('archive-index')).system).toBe(
      'system:default/wayback',
    );
  });

  it('draws dependsOn and consumed APIs as edges', () => {
    const edges = graphOf('all', null).edges.map(e => [
      e.from,
      e.to,
      e.relations,
      e.apis,
    ]);
    expect(edges).toEqual([
      [c('artist-lookup'), r('artists-db'), ['dependsOn'], []],
      [
        c('wayback-search'),
        c('wayback-archive'),
        ['consumesApi'],
        ['api:default/wayback-archive'],
      ],
    ]);
  });

  it('lists a consumed API that does not exist and a consumed component as missing, with why', () => {
    const g = graphOf('all', null);
    expect(g.missing).toEqual(['api:default/searcher', c('artist-lookup')]);
    expect(g.missingDetails).toEqual([
      {
        entityRef: 'api:default/searcher',
        reason: 'not-found',
        namedBy: [c('petstore')],
        relations: ['consumesApi'],
        message:
          'api:default/searcher is not in the catalog, or you may not read it (consumesApis of component:default/petstore)',
      },
      {
        entityRef: c('artist-lookup'),
        reason: 'wrong-kind',
        namedBy: [c('www-artist')],
        relations: ['consumesApi'],
        message:
          'component:default/artist-lookup is a Component, not an API: consumesApis names APIs (consumesApis of component:default/www-artist); a dependency on a component is written dependsOn',
      },
    ]);
  });

  it('reports what a node names only within the depth', () => {
    // www-artist is one hop from nothing: at depth 0 it is the root and
    // what it names would be at depth 1.
    expect(graphOf('entity', c('www-artist'), { depth: 0 }).missing).toEqual(
      [],
    );
    expect(graphOf('entity', c('www-artist'), { depth: 1 }).missing).toEqual([
      c('artist-lookup'),
    ]);
    // Dependents only: what a node depends on is not followed.
    expect(
      graphOf('entity', c('petstore'), { direction: 'dependents' }).missing,
    ).toEqual([]);
  });

  const names = (g: ReturnType<typeof graphOf>) =>
    g.nodes.map(n => n.name).sort();

  it.each<[string, GraphScope['type'], string | null, object, string[]]>([
    [
      'the whole catalog, resources',
      'all',
      null,
      { kinds: ['resource'] },
      ['artists-db'],
    ],
    [
      'the whole catalog, experimental',
      'all',
      null,
      { lifecycles: ['experimental'] },
      ['artist-lookup', 'playback-sdk', 'podcast-api'],
    ],
    [
      // artists-db has no lifecycle: it passes no lifecycle filter.
      'a system, production',
      'system',
      'system:default/artist-engagement-portal',
      { lifecycles: ['production'] },
      ['www-artist'],
    ],
    [
      'a system, components',
      'system',
      'system:default/artist-engagement-portal',
      { kinds: ['component'] },
      ['artist-lookup', 'www-artist'],
    ],
    [
      'a domain, experimental',
      'domain',
      'domain:default/playback',
      { lifecycles: ['experimental'] },
      ['playback-sdk', 'podcast-api'],
    ],
    [
      'an owner, production',
      'owner',
      'group:default/team-a',
      { lifecycles: ['production'], depth: 0 },
      [
        'wayback-archive',
        'wayback-archive-storage',
        'wayback-search',
        'www-artist',
      ],
    ],
    [
      // The entity a graph is drawn around stays; its neighbours are
      // filtered (artists-db has no lifecycle).
      'an experimental entity, production',
      'entity',
      c('artist-lookup'),
      { lifecycles: ['production'] },
      ['artist-lookup'],
    ],
    [
      'an entity, resources',
      'entity',
      c('artist-lookup'),
      { kinds: ['resource'] },
      ['artist-lookup', 'artists-db'],
    ],
  ])('filters every node: %s', (_, type, ref, options, expected) => {
    expect(names(graphOf(type, ref, options))).toEqual(expected);
  });
});
