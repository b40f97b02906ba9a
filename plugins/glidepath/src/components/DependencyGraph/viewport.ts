import {
  edgePath,
  GraphGeometry,
  NODE_HEIGHT,
  NODE_WIDTH,
} from '../../lib/graph';

/** Where the drawing reaches, its arching edges included. */
export type Bounds = {
  left: number;
  top: number;
  right: number;
  bottom: number;
};

/** The pan and zoom of the drawing: screen = drawing * k + (x, y). */
export type View = { x: number; y: number; k: number };

/** Space kept between the drawing and the canvas's edges, in px. */
export const MARGIN = 24;
/** The names' font size in the drawing. */
export const NAME_FONT_SIZE = 14;
/** The zoom at which names are 12 px on screen. */
export const LEGIBLE_SCALE = 12 / NAME_FONT_SIZE;
/**
 * Below this zoom the names would be about 4 px tall: unreadable, so they
 * are not drawn, nor the arrowheads of plain edges (see GraphCanvas).
 */
export const LABEL_MIN_SCALE = 0.3;
/**
 * Up to this many nodes, a graph whose names fitting would shrink below
 * 12 px (but not below LABEL_MIN_SCALE) opens at a zoom where they can be
 * read, panned to the root. Larger graphs open fitted, as an overview
 * whose names appear on zooming in.
 */
export const LEGIBLE_FIRST_UP_TO = 150;
/** The shortest canvas, for a drawing of one row. */
export const MIN_CANVAS_HEIGHT = 180;

/**
 * The drawing's extent: the boxes, and the curves of edges that arch above
 * them or loop to the left (sampled along each curve).
 */
export function drawingBounds(
  geometry: GraphGeometry,
  edges: ReadonlyArray<{ from: string; to: string }>,
): Bounds {
  const bounds: Bounds = {
    left: 0,
    top: 0,
    right: geometry.width,
    bottom: geometry.height,
  };
  for (const p of geometry.positions.values()) {
    bounds.left = Math.min(bounds.left, p.x);
    bounds.top = Math.min(bounds.top, p.y);
    bounds.right = Math.max(bounds.right, p.x + NODE_WIDTH);
    bounds.bottom = Math.max(bounds.bottom, p.y + NODE_HEIGHT);
  }
  for (const edge of edges) {
    const from = geometry.positions.get(edge.from);
    const to = geometry.positions.get(edge.to);
    if (!from || !to) continue;
    const n =
      edgePath(from, to)
        .match(/-?\d+(\.\d+)?/g)
        ?.map(Number) ?? [];
    if (n.length !== 8) continue;
    for (let i = 0; i <= 10; i++) {
      const t = i / 10;
      const a = (1 - t) ** 3;
      const b = 3 * (1 - t) ** 2 * t;
      const c = 3 * (1 - t) * t ** 2;
      const d = t ** 3;
      const x = a * n[0] + b * n[2] + c * n[4] + d * n[6];
      const y = a * n[1] + b * n[3] + c * n[5] + d * n[7];
      bounds.left = Math.min(bounds.left, x);
      bounds.top = Math.min(bounds.top, y);
      bounds.right = Math.max(bounds.right, x);
      bounds.bottom = Math.max(bounds.bottom, y);
    }
  }
  return bounds;
}

/** The zoom that shows all of the drawing in the box, at most 1:1. */
export function fitScale(
  bounds: Bounds,
  width: number,
  height: number,
): number {
  const k = Math.min(
    1,
    (width - 2 * MARGIN) / (bounds.right - bounds.left),
    (height - 2 * MARGIN) / (bounds.bottom - bounds.top),
  );
  return Math.max(k, 0.02);
}

/**
 * Along one axis: centred when the drawing fits, otherwise `focus` (a point
 * of the drawing) as near the middle as the drawing's ends allow, or the
 * drawing's start without a focus.
 */
function place(
  start: number,
  end: number,
  k: number,
  size: number,
  focus: number | undefined,
): number {
  const span = (end - start) * k;
  if (span <= size - 2 * MARGIN) return (size - span) / 2 - start * k;
  const first = MARGIN - start * k;
  const last = size - MARGIN - end * k;
  if (focus === undefined) return first;
  return Math.min(first, Math.max(last, size / 2 - focus * k));
}

/**
 * The view a graph opens with, and the canvas's height: all of it when its
 * names are legible that way, or when it is too large to read anyway;
 * otherwise at a legible zoom around `focus` (the root's box). The canvas
 * is as tall as the drawing needs, between MIN_CANVAS_HEIGHT and
 * `maxHeight`: no empty band above and below a flat graph.
 */
export function openingView(options: {
  bounds: Bounds;
  nodeCount: number;
  width: number;
  maxHeight: number;
  focus?: { x: number; y: number };
}): { view: View; height: number } {
  const { bounds, nodeCount, width, maxHeight, focus } = options;
  const fitted = fitScale(bounds, width, maxHeight);
  const legible =
    fitted < LEGIBLE_SCALE &&
    fitted >= LABEL_MIN_SCALE &&
    nodeCount <= LEGIBLE_FIRST_UP_TO;
  const k = legible ? LEGIBLE_SCALE : fitted;
  const height = Math.round(
    Math.min(
      maxHeight,
      Math.max(
        MIN_CANVAS_HEIGHT,
        (bounds.bottom - bounds.top) * k + 2 * MARGIN,
      ),
    ),
  );
  return {
    height,
    view: {
      k,
      x: place(
        bounds.left,
        bounds.right,
        k,
        width,
        focus && focus.x + NODE_WIDTH / 2,
      ),
      y: place(
        bounds.top,
        bounds.bottom,
        k,
        height,
        focus && focus.y + NODE_HEIGHT / 2,
      ),
    },
  };
}
