import type { GraphNode } from '@glidepath/backstage-plugin-common';

/** A graph node of the given name at a place in the layered layout. */
export function makeGraphNode(
  name: string,
  layout: { layer: number; row: number },
  overrides: Partial<GraphNode> = {},
): GraphNode {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    title: null,
    type: 'service',
    owner: 'group:default/team-checkout',
    system: null,
    lifecycle: 'production',
    phase: null,
    deployments: [],
    distance: 0,
    inScope: true,
    layout,
    problems: [],
    ...overrides,
  };
}
