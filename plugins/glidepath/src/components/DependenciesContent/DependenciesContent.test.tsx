import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  DependencyGraph,
  GraphNode,
} from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makeGraphNode } from '../../__testUtils__/graph';
import {
  deferred,
  renderForEntity,
  responseError,
} from '../../__testUtils__/render';
import { DependenciesContent } from './DependenciesContent';

jest.setTimeout(20_000);

const ROOT = 'component:default/checkout-service';

function graph(overrides: Partial<DependencyGraph> = {}): DependencyGraph {
  const node = (
    name: string,
    layer: number,
    phase: GraphNode['phase'],
    version: string,
  ) =>
    makeGraphNode(
      name,
      { layer, row: 0 },
      {
        system: 'system:default/checkout',
        phase,
        deployments: [
          {
            environment: 'production',
            version,
            releaseId: `${name}@${version}`,
            releasePhase: phase!,
            releasingVersion: null,
            simulated: true,
          },
        ],
        distance: name === 'checkout-service' ? 0 : 1,
      },
    );
  return {
    scope: { type: 'entity', ref: ROOT, depth: 2, direction: 'both' },
    nodes: [
      node('checkout-service', 1, 'succeeded', '3.1.0'),
      node('payments-gateway', 0, 'rolled_back', '2.2.0'),
    ],
    edges: [
      {
        from: ROOT,
        to: 'component:default/payments-gateway',
        relations: ['consumesApi', 'requires'],
        apis: ['api:default/payments-api'],
        requirement: {
          range: '>=2.3.0 <3',
          text: 'payments-gateway@>=2.3.0 <3',
          status: 'broken',
          checks: [
            {
              environment: 'production',
              version: '2.2.0',
              releasing: false,
              status: 'broken',
              message: '2.2.0 does not satisfy >=2.3.0 <3',
            },
          ],
        },
      },
    ],
    releaseOrder: {
      layers: [['component:default/payments-gateway'], [ROOT]],
      cycles: [],
    },
    missing: [],
    generatedAt: '2026-11-27T00:00:00Z',
    ...overrides,
  };
}

describe('DependenciesContent', () => {
  it('loads the graph around the entity and highlights a broken requirement', async () => {
    const loaded = deferred<DependencyGraph>();
    const api = fakeGlidepathApi({ getDependencyGraph: () => loaded.promise });
    await renderForEntity(<DependenciesContent />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(api.getDependencyGraph).toHaveBeenCalledWith({
      entity: ROOT,
      depth: 2,
      direction: 'both',
    });
    loaded.resolve(graph());

    const svg = await screen.findByTestId('glidepath-graph');
    expect(svg).toHaveAttribute('data-node-count', '2');
    const edges = within(svg).getAllByTestId('glidepath-graph-edge');
    expect(edges.map(e => e.getAttribute('data-broken'))).toEqual(['true']);
    expect(
      screen.getByTestId('glidepath-broken-requirement'),
    ).toHaveTextContent(
      'checkout-service requires payments-gateway@>=2.3.0 <3: production runs 2.2.0',
    );
    expect(
      screen.getAllByTestId('glidepath-release-wave').map(w => w.textContent),
    ).toEqual([
      'Wave 1 1 entitypayments-gateway',
      'Wave 2 1 entitycheckout-service',
    ]);
    expect(screen.getByTestId('glidepath-simulated')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /payments-gateway \(Component\), rolled back, version 2\.2\.0/,
      }),
    ).toBeInTheDocument();
  });

  it('asks again with another depth and direction', async () => {
    const api = fakeGlidepathApi({ getDependencyGraph: async () => graph() });
    await renderForEntity(<DependenciesContent />, { api });
    await screen.findByTestId('glidepath-graph');
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Depth'));
    await user.click(await screen.findByRole('option', { name: '4 hops' }));
    await user.click(screen.getByLabelText('Direction'));
    await user.click(
      await screen.findByRole('option', { name: 'What depends on it' }),
    );
    await waitFor(() =>
      expect(api.getDependencyGraph).toHaveBeenLastCalledWith({
        entity: ROOT,
        depth: 4,
        direction: 'dependents',
      }),
    );
  });

  it('shows the same data as a table', async () => {
    const api = fakeGlidepathApi({ getDependencyGraph: async () => graph() });
    await renderForEntity(<DependenciesContent />, { api });
    await screen.findByTestId('glidepath-graph');
    await userEvent.setup().click(screen.getByTestId('glidepath-view-table'));
    const table = await screen.findByTestId('glidepath-graph-table');
    expect(
      within(table).getByText('2 entities, 1 dependencies'),
    ).toBeInTheDocument();
    expect(within(table).getByText('production: 2.2.0')).toBeInTheDocument();
    // The broken requirement in the second column, its row first.
    const rows = within(table).getAllByRole('row');
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .slice(0, 2)
        .map(c => c.textContent),
    ).toEqual([
      'checkout-serviceservice · production · team-checkout · 0 dependents',
      'payments-gateway@>=2.3.0 <3',
    ]);
    expect(
      within(table).getByText(
        'service · production · team-checkout · 1 dependent',
      ),
    ).toBeInTheDocument();
  });

  it('lists the waves of the release order, the first names of a large one and all on request', async () => {
    const many = Array.from(
      { length: 11 },
      (_, i) => `component:default/svc-${String(i).padStart(2, '0')}`,
    );
    const api = fakeGlidepathApi({
      getDependencyGraph: async () =>
        graph({
          releaseOrder: {
            layers: [many, ['component:default/payments-gateway'], [ROOT]],
            cycles: [],
          },
        }),
    });
    await renderForEntity(<DependenciesContent />, { api });
    const order = await screen.findByTestId('glidepath-release-order');
    expect(order).toHaveTextContent('3 waves, dependencies first');
    const waves = () =>
      within(order)
        .getAllByTestId('glidepath-release-wave')
        .map(w => w.textContent);
    expect(waves()).toEqual([
      'Wave 1 11 entitiessvc-00, svc-01, svc-02, svc-03, svc-04, svc-05, svc-06, svc-07, and 3 more',
      'Wave 2 1 entitypayments-gateway',
      'Wave 3 1 entitycheckout-service',
    ]);
    // Each name leads to its entity.
    expect(within(order).getByRole('link', { name: 'svc-00' })).toHaveAttribute(
      'href',
      '/catalog/default/component/svc-00',
    );
    await userEvent
      .setup()
      .click(
        within(order).getByRole('button', { name: 'Show all 13 entities' }),
      );
    expect(waves()[0]).toBe(
      `Wave 1 11 entities${many.map(r => r.slice(18)).join(', ')}`,
    );
  });

  it('reports cycles instead of an order, and entities it could not show', async () => {
    const api = fakeGlidepathApi({
      getDependencyGraph: async () =>
        graph({
          releaseOrder: {
            layers: null,
            cycles: [[ROOT, 'component:default/payments-gateway']],
          },
          missing: ['component:default/secret-service'],
        }),
    });
    await renderForEntity(<DependenciesContent />, { api });
    expect(
      await screen.findByTestId('glidepath-graph-cycles'),
    ).toHaveTextContent(
      'checkout-service → payments-gateway → checkout-service',
    );
    expect(screen.getByTestId('glidepath-graph-missing')).toHaveTextContent(
      '1 related entity is not shown: not in the catalog, or not visible to you (secret-service)',
    );
  });

  it('says why each related entity is not shown when the backend says', async () => {
    const api = fakeGlidepathApi({
      getDependencyGraph: async () =>
        graph({
          missing: ['api:default/ghost-api', 'component:default/wallet'],
          missingDetails: [
            {
              entityRef: 'api:default/ghost-api',
              reason: 'not-found',
              namedBy: [ROOT],
              relations: ['consumesApi'],
              message: `api:default/ghost-api is not in the catalog, or you may not read it (consumesApis of ${ROOT})`,
            },
            {
              entityRef: 'component:default/wallet',
              reason: 'wrong-kind',
              namedBy: [ROOT],
              relations: ['consumesApi'],
              message: `component:default/wallet is a Component, not an API: consumesApis names APIs (consumesApis of ${ROOT}); a dependency on a component is written dependsOn`,
            },
          ],
        }),
    });
    await renderForEntity(<DependenciesContent />, { api });
    const notice = await screen.findByTestId('glidepath-graph-missing');
    expect(notice).toHaveTextContent('2 related entities are not shown:');
    expect(within(notice).getAllByRole('listitem')).toHaveLength(2);
    expect(notice).toHaveTextContent(
      'component:default/wallet is a Component, not an API',
    );
  });

  it('says when there is nothing to draw', async () => {
    const api = fakeGlidepathApi({
      getDependencyGraph: async () => graph({ nodes: [], edges: [] }),
    });
    await renderForEntity(<DependenciesContent />, { api });
    expect(await screen.findByText('No dependencies')).toBeInTheDocument();
  });

  it('shows the error when the graph cannot be loaded', async () => {
    const error = await responseError(
      404,
      'Not Found',
      'NotFoundError',
      'No entity component:default/checkout-service in the catalog',
    );
    const api = fakeGlidepathApi({
      getDependencyGraph: async () => {
        throw error;
      },
    });
    await renderForEntity(<DependenciesContent />, { api });
    expect(
      await screen.findByText(/Could not load the dependency graph/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/No entity component:default\/checkout-service/)[0],
    ).toBeInTheDocument();
  });

  it('shows the problems of the requires annotation', async () => {
    const api = fakeGlidepathApi({ getDependencyGraph: async () => graph() });
    await renderForEntity(<DependenciesContent />, {
      api,
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'checkout-service',
          annotations: { 'glidepath.dev/requires': 'payments-gateway@soon' },
        },
        spec: {
          type: 'service',
          owner: 'team-checkout',
          lifecycle: 'production',
        },
      },
    });
    expect(await screen.findByTestId('glidepath-problems')).toHaveTextContent(
      '"soon" is not a semver range',
    );
  });

  describe('drawing a large graph', () => {
    // jsdom lays nothing out: the graph's box is given a real width.
    let width: jest.SpyInstance;
    beforeEach(() => {
      width = jest
        .spyOn(HTMLElement.prototype, 'clientWidth', 'get')
        .mockReturnValue(1200);
    });
    afterEach(() => width.mockRestore());

    /** Clicks "Zoom in" until the graph draws its names (12 clicks at most). */
    async function zoomInUntilNamesShow(svg: HTMLElement) {
      const user = userEvent.setup();
      for (
        let i = 0;
        i < 12 && svg.getAttribute('data-labels') !== 'shown';
        i++
      ) {
        await user.click(screen.getByRole('button', { name: 'Zoom in' }));
      }
      expect(svg).toHaveAttribute('data-labels', 'shown');
    }

    /** `count` dependencies of the root in one column, each one broken. */
    function wide(count: number): DependencyGraph {
      const base = graph();
      const deps = Array.from({ length: count }, (_, i) =>
        makeGraphNode(`dep-${i}`, { layer: 0, row: i }),
      );
      return graph({
        nodes: [base.nodes[0], ...deps],
        edges: deps.map(d => ({
          ...base.edges[0],
          to: d.entityRef,
          requirement: {
            ...base.edges[0].requirement!,
            text: `${d.name}@>=2.3.0 <3`,
          },
        })),
      });
    }

    it.each([
      ['a small graph fitted at 1:1', 2, 'shown'],
      ['400 nodes fitted to the box', 400, 'hidden'],
    ])(
      'draws names only where they can be read: %s',
      async (_, count, labels) => {
        const data = count === 2 ? graph() : wide(count);
        const api = fakeGlidepathApi({ getDependencyGraph: async () => data });
        await renderForEntity(<DependenciesContent />, { api });
        const svg = await screen.findByTestId('glidepath-graph');
        await waitFor(() =>
          expect(
            within(svg).getAllByTestId('glidepath-graph-node'),
          ).toHaveLength(data.nodes.length),
        );
        expect(svg).toHaveAttribute('data-labels', labels);
        expect(
          within(svg).queryAllByTestId('glidepath-graph-labels'),
        ).toHaveLength(labels === 'shown' ? 1 : 0);
        // Every node keeps its accessible name at any zoom.
        expect(
          within(svg).getByRole('link', { name: /^checkout-service/ }),
        ).toBeInTheDocument();
      },
    );

    it('shows the names once zoomed in far enough', async () => {
      const api = fakeGlidepathApi({
        getDependencyGraph: async () => wide(400),
      });
      await renderForEntity(<DependenciesContent />, { api });
      const svg = await screen.findByTestId('glidepath-graph');
      await waitFor(() => expect(svg).toHaveAttribute('data-labels', 'hidden'));
      await zoomInUntilNamesShow(svg);
      expect(
        within(within(svg).getByTestId('glidepath-graph-labels')).getByText(
          'dep-399',
        ),
      ).toBeInTheDocument();
    });

    it('draws the plain edges of a large graph as one path until zoomed in', async () => {
      const base = graph();
      const dependents = Array.from({ length: 50 }, (_, i) =>
        makeGraphNode(`a-${i}`, { layer: 1, row: i }),
      );
      const dependencies = Array.from({ length: 45 }, (_, i) =>
        makeGraphNode(`b-${i}`, { layer: 0, row: i }),
      );
      const plain = dependents.flatMap(a =>
        dependencies.map(b => ({
          from: a.entityRef,
          to: b.entityRef,
          relations: ['dependsOn' as const],
          apis: [],
          requirement: null,
        })),
      );
      const requirement = {
        ...base.edges[0],
        from: dependents[0].entityRef,
        to: dependencies[0].entityRef,
      };
      const data = graph({
        nodes: [...dependents, ...dependencies],
        edges: [...plain.slice(1), requirement],
      });
      const api = fakeGlidepathApi({ getDependencyGraph: async () => data });
      await renderForEntity(<DependenciesContent />, { api });
      const svg = await screen.findByTestId('glidepath-graph');
      await waitFor(() => expect(svg).toHaveAttribute('data-labels', 'hidden'));
      expect(svg).toHaveAttribute('data-edge-count', '2250');
      expect(
        within(svg).getByTestId('glidepath-graph-plain-edges'),
      ).toHaveAttribute('data-count', '2249');
      // The requirement keeps its own line, red and dashed.
      expect(
        within(svg)
          .getAllByTestId('glidepath-graph-edge')
          .map(e => e.getAttribute('data-broken')),
      ).toEqual(['true']);

      await zoomInUntilNamesShow(svg);
      expect(
        within(svg).queryByTestId('glidepath-graph-plain-edges'),
      ).not.toBeInTheDocument();
      expect(within(svg).getAllByTestId('glidepath-graph-edge')).toHaveLength(
        2250,
      );
    });

    it('lists the first broken requirements, and all of them on request', async () => {
      const api = fakeGlidepathApi({ getDependencyGraph: async () => wide(8) });
      await renderForEntity(<DependenciesContent />, { api });
      await screen.findByTestId('glidepath-graph');
      expect(
        screen.getAllByTestId('glidepath-broken-requirement'),
      ).toHaveLength(5);
      const toggle = screen.getByTestId('glidepath-broken-requirements-toggle');
      expect(toggle).toHaveTextContent('Show all 8 (3 more)');
      await userEvent.setup().click(toggle);
      expect(
        screen.getAllByTestId('glidepath-broken-requirement'),
      ).toHaveLength(8);
      expect(toggle).toHaveTextContent('Show fewer');
    });
  });
});
