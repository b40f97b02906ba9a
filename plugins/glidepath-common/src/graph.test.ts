import {
  blastRadius,
  DependencyEdge,
  findCycles,
  layeredLayout,
  reachable,
  releaseOrder,
  releaseOrderOf,
  stronglyConnectedComponents,
} from './graph';

/** `a>b c>b` : a depends on b, c depends on b. */
function g(text: string): { nodes: string[]; edges: DependencyEdge[] } {
  const nodes = new Set<string>();
  const edges: DependencyEdge[] = [];
  for (const part of text.split(/\s+/).filter(Boolean)) {
    const names = part.split('>');
    names.forEach(n => nodes.add(n));
    for (let i = 0; i + 1 < names.length; i++) {
      edges.push({ from: names[i], to: names[i + 1] });
    }
  }
  return { nodes: [...nodes].sort(), edges };
}

describe('releaseOrder', () => {
  it.each([
    ['a', [['a']]],
    ['a>b', [['b'], ['a']]],
    ['a>b>c', [['c'], ['b'], ['a']]],
    ['a>b a>c', [['b', 'c'], ['a']]],
    [
      'a>c b>c d',
      [
        ['c', 'd'],
        ['a', 'b'],
      ],
    ],
    // The longest path decides: a waits for c through b.
    ['a>b>c a>c', [['c'], ['b'], ['a']]],
    ['web>gw>id web>cat>db gw>cat', [['db', 'id'], ['cat'], ['gw'], ['web']]],
  ])('%s -> %j', (text, layers) => {
    const { nodes, edges } = g(text);
    expect(releaseOrder(nodes, edges)).toEqual({ ok: true, layers });
  });

  it.each([
    ['a>b>a', [['a', 'b']]],
    ['a>a', [['a']]],
    ['a>b>c>a d>a', [['a', 'b', 'c']]],
    [
      'a>b>a c>d>c e>a',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
  ])('%s has cycles %j instead of an order', (text, cycles) => {
    const { nodes, edges } = g(text);
    expect(releaseOrder(nodes, edges)).toEqual({ ok: false, cycles });
  });

  it('ignores edges to nodes outside the set', () => {
    expect(releaseOrder(['a'], [{ from: 'a', to: 'x' }])).toEqual({
      ok: true,
      layers: [['a']],
    });
  });

  it('handles a long chain without recursion', () => {
    const n = 50_000;
    const nodes = Array.from({ length: n }, (_, i) => `n${i}`);
    const edges = nodes
      .slice(1)
      .map((node, i) => ({ from: node, to: nodes[i] }));
    const order = releaseOrder(nodes, edges);
    expect(order.ok && order.layers.length).toBe(n);
  });
});

describe('stronglyConnectedComponents', () => {
  it('emits dependencies first', () => {
    const { nodes, edges } = g('a>b>c>b c>d');
    expect(
      stronglyConnectedComponents(nodes, edges).map(c => c.sort()),
    ).toEqual([['d'], ['b', 'c'], ['a']]);
  });
});

describe('findCycles', () => {
  it.each([
    ['a>b>c', []],
    ['a>b>c>a', [['a', 'b', 'c']]],
    ['x>x y', [['x']]],
  ])('%s -> %j', (text, cycles) => {
    const { nodes, edges } = g(text);
    expect(findCycles(nodes, edges)).toEqual(cycles);
  });
});

describe('reachable and blastRadius', () => {
  const { edges } = g('web>gw>id mobile>gw cat>db web>cat');
  it.each([
    ['id', 'dependents', undefined, { id: 0, gw: 1, web: 2, mobile: 2 }],
    ['id', 'dependents', 1, { id: 0, gw: 1 }],
    ['web', 'dependencies', undefined, { web: 0, gw: 1, cat: 1, id: 2, db: 2 }],
    ['gw', 'both', 1, { gw: 0, id: 1, web: 1, mobile: 1 }],
  ] as const)('%s %s depth %s', (root, direction, maxDepth, expected) => {
    expect(
      Object.fromEntries(reachable([root], edges, { direction, maxDepth })),
    ).toEqual(expected);
  });

  it('terminates on cycles', () => {
    const cyclic = g('a>b>c>a');
    expect(blastRadius(['a'], cyclic.edges)).toEqual(['b', 'c']);
  });

  it('lists what depends on a change, the change excluded', () => {
    expect(blastRadius(['id', 'db'], edges)).toEqual([
      'cat',
      'gw',
      'mobile',
      'web',
    ]);
  });
});

describe('releaseOrderOf', () => {
  it.each([
    // web depends on id through gw, which is not released.
    ['web>gw>id', ['web', 'id'], { ok: true, layers: [['id'], ['web']] }],
    ['web>gw>id cat>db', ['web', 'db'], { ok: true, layers: [['db', 'web']] }],
    ['a>x>b>y>a', ['a', 'b'], { ok: false, cycles: [['a', 'b']] }],
    ['a>b', ['a'], { ok: true, layers: [['a']] }],
  ])('%s releasing %j', (text, subset, expected) => {
    expect(releaseOrderOf(subset, g(text).edges)).toEqual(expected);
  });
});

describe('layeredLayout', () => {
  it('puts dependencies left of their dependents and rows unique per column', () => {
    const { nodes, edges } = g('web>gw>id mobile>gw web>cat>db a>b>a');
    const layout = layeredLayout(nodes, edges);
    for (const { from, to } of edges) {
      if (from === 'a' || from === 'b') continue;
      expect(layout.get(from)!.layer).toBeGreaterThan(layout.get(to)!.layer);
    }
    // A cycle shares a column.
    expect(layout.get('a')!.layer).toBe(layout.get('b')!.layer);
    const seen = new Set<string>();
    for (const { layer, row } of layout.values()) {
      const key = `${layer}/${row}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    expect(layout.size).toBe(nodes.length);
  });

  it.each([
    // db is used only by web, three layers up: it sits just before web.
    ['web>gw>id>core web>db', { db: 2, web: 3, core: 0 }],
    // A dependency moves only as far as its first dependent allows.
    ['web>gw>id web>db gw>db', { db: 0, id: 0, gw: 1, web: 2 }],
    // Nothing depends on x: it stays where it is.
    ['a>b x', { x: 0, b: 0, a: 1 }],
    // A cycle moves as one, next to its first dependent.
    ['web>gw>id web>c>d>c', { c: 1, d: 1, web: 2 }],
  ])('%s: each dependency next to its first dependent %j', (text, layers) => {
    const { nodes, edges } = g(text);
    const layout = layeredLayout(nodes, edges);
    for (const [node, layer] of Object.entries(layers)) {
      expect([node, layout.get(node)!.layer]).toEqual([node, layer]);
    }
  });

  it('uncrosses a simple crossing', () => {
    // Sorted by name, x1 and x2 would cross: a>y, b>x.
    const { nodes, edges } = g('a>y b>x');
    const layout = layeredLayout(nodes, edges);
    const order = (n: string) => layout.get(n)!.row;
    expect(order('a') < order('b')).toBe(order('y') < order('x'));
  });
});
