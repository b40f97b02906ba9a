import { graphGeometry } from '../../lib/graph';
import { makeGraphNode } from '../../__testUtils__/graph';
import {
  Bounds,
  drawingBounds,
  LEGIBLE_SCALE,
  MIN_CANVAS_HEIGHT,
  openingView,
} from './viewport';

/** A drawing of `columns` x `rows` boxes of 200 x 40. */
function bounds(columns: number, rows: number): Bounds {
  return {
    left: 0,
    top: 0,
    right: columns * 290 - 90,
    bottom: rows * 54 - 14,
  };
}

describe('openingView', () => {
  it.each([
    // name, columns, rows, nodes, expected zoom, expected canvas height
    ['fits at 1:1: centred, canvas as tall as the drawing', 3, 2, 6, 1, 142],
    ['one row: the shortest canvas', 2, 1, 2, 1, MIN_CANVAS_HEIGHT],
    ['too wide to read fitted: legible', 7, 3, 9, LEGIBLE_SCALE, 178],
    [
      'too tall to read fitted: legible, the tallest canvas',
      6,
      30,
      90,
      LEGIBLE_SCALE,
      560,
    ],
    [
      'too many nodes to read: fitted',
      12,
      10,
      151,
      1052 / (12 * 290 - 90),
      211,
    ],
    [
      'names too small to draw fitted: fitted',
      2,
      50,
      95,
      512 / (50 * 54 - 14),
      560,
    ],
  ])('%s', (_, columns, rows, nodeCount, k, height) => {
    const opening = openingView({
      bounds: bounds(columns, rows),
      nodeCount,
      width: 1100,
      maxHeight: 560,
    });
    expect(opening.view.k).toBeCloseTo(k, 5);
    expect(opening.height).toBe(
      Math.max(MIN_CANVAS_HEIGHT, Math.round(height)),
    );
  });

  it('centres a drawing that fits', () => {
    const { view, height } = openingView({
      bounds: bounds(3, 2),
      nodeCount: 6,
      width: 1100,
      maxHeight: 560,
    });
    expect(view.x).toBe((1100 - 780) / 2);
    expect(view.y).toBe((height - 94) / 2);
  });

  it.each([
    // The root in the middle of a wide drawing is put in the middle.
    [3, 550 - (3 * 290 + 100) * LEGIBLE_SCALE],
    // Near an end, the drawing's end stays at the margin: no blank band.
    [0, 24],
    [6, 1100 - 24 - 1940 * LEGIBLE_SCALE],
  ])(
    'puts the root of column %s as near the middle as the ends allow',
    (column, x) => {
      const { view } = openingView({
        bounds: bounds(7, 3),
        nodeCount: 9,
        width: 1100,
        maxHeight: 560,
        focus: { x: column * 290, y: 54 },
      });
      expect(view.x).toBeCloseTo(x, 5);
    },
  );
});

describe('drawingBounds', () => {
  it('includes an edge that arches over the columns it skips', () => {
    const nodes = [
      makeGraphNode('a', { layer: 0, row: 0 }),
      makeGraphNode('b', { layer: 1, row: 0 }),
      makeGraphNode('c', { layer: 2, row: 0 }),
    ];
    const geometry = graphGeometry(nodes);
    const flat = drawingBounds(geometry, [
      { from: nodes[1].entityRef, to: nodes[0].entityRef },
    ]);
    // graphGeometry keeps a column gap on the right and a row gap below.
    expect(flat).toEqual({ left: 0, top: 0, right: 870, bottom: 54 });
    const arched = drawingBounds(geometry, [
      { from: nodes[2].entityRef, to: nodes[0].entityRef },
    ]);
    // The curve of an edge over one column peaks about 25 px above the boxes.
    expect(arched.top).toBeLessThan(-20);
    expect(arched.bottom).toBe(54);
  });
});
