import { act, screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { glidepathApiRef } from '../../api';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makeRelease } from '../../__testUtils__/releases';
import { REFRESH_MS, ReleasesInFlight } from './ReleasesInFlight';

function render(api: ReturnType<typeof fakeGlidepathApi>) {
  const apis: any[] = [[glidepathApiRef, api]];
  return renderInTestApp(<ReleasesInFlight />, {
    apis: apis as [],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('ReleasesInFlight', () => {
  it('lists each release with its phase, traffic and owner, linked to the Releases tab', async () => {
    const api = fakeGlidepathApi({
      listReleasesInFlight: async () => ({
        total: 2,
        items: [
          {
            release: makeRelease({
              entityRef: 'component:default/checkout-service',
              phase: 'paused',
              canaryWeight: 25,
            }),
            entityTitle: null,
            owner: { ref: 'group:default/team-checkout', title: 'Checkout' },
          },
          {
            release: makeRelease({
              id: 'r2',
              entityRef: 'component:default/cart-service',
              environment: 'staging',
              phase: 'progressing',
              canaryWeight: 10,
            }),
            entityTitle: 'Shopping cart',
            owner: null,
          },
        ],
      }),
    });
    await render(api);
    expect(
      await screen.findByText('2 across the company right now, newest first'),
    ).toBeInTheDocument();
    expect(screen.getByText('checkout-service').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-service/releases',
    );
    expect(screen.getByText('Shopping cart').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/cart-service/releases',
    );
    expect(screen.getByText('Checkout').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/group/team-checkout',
    );
    expect(screen.getByText('Paused')).toBeInTheDocument();
    expect(screen.getByText('canary at 25%')).toBeInTheDocument();
    expect(screen.getByText('No owner')).toBeInTheDocument();
    // Where each goes.
    expect(screen.getByText('Shopping cart').closest('tr')).toHaveTextContent(
      /staging/,
    );
    expect(
      screen.getByText('checkout-service').closest('tr'),
    ).toHaveTextContent(/production/);
    expect(api.listReleasesInFlight).toHaveBeenCalledWith({ limit: 10 });
  });

  it('says once, not on every row, that the releases are simulated', async () => {
    const simulated = (id: string) => ({
      release: makeRelease({ id, simulated: true }),
      entityTitle: null,
      owner: null,
    });
    await render(
      fakeGlidepathApi({
        listReleasesInFlight: async () => ({
          total: 2,
          items: [simulated('r1'), simulated('r2')],
        }),
      }),
    );
    expect(
      await screen.findByText(
        '2 across the company right now, newest first · Simulated by the sandbox',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('glidepath-simulated')).toBeNull();
  });

  it('marks the simulated rows when real releases are among them', async () => {
    const release = (id: string, simulated: boolean) => ({
      release: makeRelease({ id, simulated }),
      entityTitle: null,
      owner: null,
    });
    await render(
      fakeGlidepathApi({
        listReleasesInFlight: async () => ({
          total: 3,
          items: [
            release('r1', false),
            release('r2', true),
            release('r3', false),
          ],
        }),
      }),
    );
    expect(
      await screen.findByText(
        '3 across the company right now, newest first · 1 of them simulated by the sandbox',
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText('simulated')).toHaveLength(1);
  });

  it('says so when no release is in flight', async () => {
    await render(
      fakeGlidepathApi({
        listReleasesInFlight: async () => ({ total: 0, items: [] }),
      }),
    );
    expect(await screen.findByText('No release in flight')).toBeInTheDocument();
  });

  it('shows what went wrong when the list cannot be read', async () => {
    await render(
      fakeGlidepathApi({
        listReleasesInFlight: async () => {
          throw new Error('Glidepath is down');
        },
      }),
    );
    expect(
      await screen.findByText('Error: Glidepath is down'),
    ).toBeInTheDocument();
  });
});

describe('ReleasesInFlight, kept live', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the releases in flight again every few seconds', async () => {
    jest.useFakeTimers();
    const listReleasesInFlight = jest
      .fn()
      .mockResolvedValueOnce({ total: 0, items: [] })
      .mockResolvedValue({
        total: 1,
        items: [{ release: makeRelease(), entityTitle: null, owner: null }],
      });
    await render(fakeGlidepathApi({ listReleasesInFlight }));
    expect(await screen.findByText('No release in flight')).toBeInTheDocument();
    await act(async () => {
      jest.advanceTimersByTime(REFRESH_MS);
    });
    expect(
      await screen.findByText('1 across the company right now, newest first'),
    ).toBeInTheDocument();
  });
});
