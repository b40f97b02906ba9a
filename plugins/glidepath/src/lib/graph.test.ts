import type {
  DependencyGraph,
  GraphEdge,
  GraphNode,
} from '@glidepath/backstage-plugin-common';
import {
  edgePath,
  filterGraph,
  graphGeometry,
  NODE_HEIGHT,
  NODE_WIDTH,
  nodeLabel,
  phaseStyle,
  versionText,
} from './graph';
import { makeGraphNode } from '../__testUtils__/graph';

function node(
  name: string,
  layer: number,
  row: number,
  extra: Partial<GraphNode> = {},
): GraphNode {
  return makeGraphNode(name, { layer, row }, extra);
}

function edge(
  from: string,
  to: string,
  status?: 'broken' | 'satisfied',
): GraphEdge {
  return {
    from: `component:default/${from}`,
    to: `component:default/${to}`,
    relations: status ? ['requires'] : ['dependsOn'],
    apis: [],
    requirement: status
      ? { range: '^2', text: `${to}@^2`, status, checks: [] }
      : null,
  };
}

describe('graphGeometry', () => {
  it('puts layers in columns left to right and centres short columns', () => {
    const g = graphGeometry([
      node('db', 0, 0),
      node('a', 1, 0),
      node('b', 1, 1),
      node('c', 1, 2),
    ]);
    const db = g.positions.get('component:default/db')!;
    const a = g.positions.get('component:default/a')!;
    const c = g.positions.get('component:default/c')!;
    expect(db.x).toBe(0);
    expect(a.x).toBeGreaterThan(NODE_WIDTH);
    expect(c.y).toBeGreaterThan(a.y);
    // db sits level with the middle of its three dependents.
    expect(db.y).toBeCloseTo((a.y + c.y) / 2);
    expect(g.width).toBeGreaterThanOrEqual(2 * NODE_WIDTH);
    expect(g.height).toBeGreaterThanOrEqual(3 * NODE_HEIGHT);
  });

  it('closes up layers the filters emptied', () => {
    const g = graphGeometry([node('a', 0, 0), node('b', 5, 0)]);
    expect(g.positions.get('component:default/b')!.x).toBeLessThan(
      2 * (NODE_WIDTH + 100),
    );
  });
});

describe('edgePath', () => {
  it.each([
    [{ x: 300, y: 0 }, { x: 0, y: 0 }, `M300,20 C250,20 250,20 200,20`],
    [{ x: 0, y: 0 }, { x: 0, y: 100 }, 'M0,20 C-60,20 -60,120 0,120'],
    // Two columns apart: arches over the column in between.
    [{ x: 580, y: 100 }, { x: 0, y: 100 }, 'M580,120 C490,60 290,60 200,120'],
  ])('%j -> %j', (from, to, d) => {
    expect(edgePath(from, to)).toBe(d);
  });
});

describe('labels', () => {
  it.each([
    [node('checkout', 0, 0), 'checkout'],
    [node('x', 0, 0, { title: 'Checkout Service' }), 'Checkout Service'],
    [node('a-very-long-service-name-indeed', 0, 0), 'a-very-long-service-nam…'],
  ])('nodeLabel %#', (n, label) => {
    expect(nodeLabel(n)).toBe(label);
  });

  it.each([
    [[], ''],
    [
      [{ environment: 'production', version: '2.3.0', releasingVersion: null }],
      '2.3.0',
    ],
    [
      [
        {
          environment: 'production',
          version: '2.3.0',
          releasingVersion: '2.4.0',
        },
      ],
      '2.3.0 → 2.4.0',
    ],
    [
      [{ environment: 'production', version: null, releasingVersion: '1.0.0' }],
      '? → 1.0.0',
    ],
  ])('versionText %#', (deployments, text) => {
    expect(
      versionText(
        node('a', 0, 0, {
          deployments: deployments.map(d => ({
            ...d,
            releaseId: 'r',
            releasePhase: 'succeeded' as const,
            simulated: false,
          })),
        }),
      ),
    ).toBe(text);
  });

  it('colours every phase and no phase', () => {
    expect(phaseStyle(null).label).toBe('No releases');
    expect(phaseStyle('rolled_back').stroke).toBe('#c62828');
  });
});

describe('filterGraph', () => {
  const graph: DependencyGraph = {
    scope: { type: 'all', ref: null, depth: null, direction: 'both' },
    nodes: [
      node('web', 2, 0, { phase: 'progressing' }),
      node('checkout', 1, 0, { phase: 'succeeded' }),
      node('payments', 0, 0, { phase: 'rolled_back' }),
      node('db', 0, 1),
    ],
    edges: [
      edge('web', 'checkout'),
      edge('checkout', 'payments', 'broken'),
      edge('checkout', 'db', 'satisfied'),
    ],
    releaseOrder: { layers: [], cycles: [] },
    missing: [],
    generatedAt: '2026-11-27T00:00:00Z',
  };
  it.each([
    [{}, ['web', 'checkout', 'payments', 'db'], 3],
    [{ phases: ['succeeded', 'progressing'] as const }, ['web', 'checkout'], 1],
    [{ phases: ['none'] as const }, ['db'], 0],
    [{ brokenOnly: true }, ['checkout', 'payments'], 1],
    [{ brokenOnly: true, phases: ['succeeded'] as const }, ['checkout'], 0],
  ])('%j', (filter, names, edges) => {
    const shown = filterGraph(graph, filter);
    expect(shown.nodes.map(n => n.name)).toEqual(names);
    expect(shown.edges).toHaveLength(edges);
  });
});
