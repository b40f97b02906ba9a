import { c, graph, latest, SHOP } from './__testUtils__/graphFixtures';
import { serializeGraph } from './serializeGraph';

describe('serializeGraph', () => {
  it.each([
    ['a whole catalog', graph(SHOP, { roots: [c('web')] })],
    [
      'a neighbourhood with requirements and releases',
      graph(SHOP, {
        roots: [c('checkout')],
        depth: 1,
        latest: [latest('payments', '3.0.0', 'progressing')],
      }),
    ],
    ['an empty graph', graph([], { roots: [] })],
  ])('gives the text JSON.stringify gives: %s', (_, g) => {
    expect(serializeGraph(g)).toBe(JSON.stringify(g));
    // Again, from the fragments it keeps.
    expect(serializeGraph(g)).toBe(JSON.stringify(g));
  });
});
