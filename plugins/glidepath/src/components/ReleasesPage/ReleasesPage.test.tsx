import { fireEvent, screen, within } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type {
  FreezeWindow,
  GlidepathApi,
  ReleaseTrain,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makePlan } from '../../__testUtils__/plans';
import { makeRelease } from '../../__testUtils__/releases';
import { ALLOW, responseError } from '../../__testUtils__/render';
import { calendarRouteRef, planRouteRef, releasesRouteRef } from '../../routes';
import { ReleasesPage } from './ReleasesPage';

jest.setTimeout(20_000);

const component = (name: string, system?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-checkout', system },
});
const group = (name: string, displayName: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', profile: { displayName }, children: [] },
});
const system = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name, namespace: 'default' },
  spec: { owner },
});

const ENTITIES = [
  component('checkout-service', 'shop'),
  component('cart-service', 'shop'),
  component('search-service', 'discovery'),
  group('team-checkout', 'Checkout'),
  group('team-search', 'Search'),
  system('shop', 'group:default/team-checkout'),
  system('discovery', 'group:default/team-search'),
];

const inFlight = {
  total: 3,
  items: [
    {
      release: makeRelease({
        id: 'r1',
        entityRef: 'component:default/checkout-service',
        phase: 'progressing',
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
        simulated: true,
      }),
      entityTitle: 'Shopping cart',
      owner: { ref: 'group:default/team-checkout', title: 'Checkout' },
    },
    {
      release: makeRelease({
        id: 'r3',
        entityRef: 'component:default/search-service',
      }),
      entityTitle: null,
      owner: { ref: 'group:default/team-search', title: 'Search' },
    },
  ],
};

function render(api: GlidepathApi, path = '/glidepath/releases') {
  const apis: any[] = [
    [glidepathApiRef, api],
    [catalogApiRef, catalogApiMock({ entities: ENTITIES })],
    mockApis.permission({ authorize: ALLOW }),
  ];
  return renderInTestApp(<ReleasesPage />, {
    apis: apis as [],
    initialRouteEntries: [path],
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      '/glidepath/releases': releasesRouteRef,
      '/glidepath/plans/:planId': planRouteRef,
      '/glidepath/calendar': calendarRouteRef,
    },
  });
}

async function choose(label: string, option: string) {
  // The select's button is named by its label and its value.
  const select = screen
    .getAllByRole('button', { name: new RegExp(`^${label}\\b`) })
    .find(el => el.getAttribute('aria-haspopup') === 'listbox');
  fireEvent.mouseDown(select!);
  fireEvent.click(await screen.findByRole('option', { name: option }));
}

const rows = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map(row => row.textContent ?? '');

describe('the Releases page', () => {
  describe('In flight', () => {
    it('lists every release in flight, linked to its Releases tab, and filters by team, system and environment', async () => {
      const api = fakeGlidepathApi({
        listReleasesInFlight: async () => inFlight,
      });
      await render(api);
      expect(
        await screen.findByText(
          '3 across the company right now, newest first · 1 of them simulated by the sandbox',
        ),
      ).toBeInTheDocument();
      expect(screen.getByText('Shopping cart').closest('a')).toHaveAttribute(
        'href',
        '/catalog/default/component/cart-service/releases',
      );
      expect(api.listReleasesInFlight).toHaveBeenCalledWith({ limit: 200 });
      // The systems come from the catalog.
      expect((await screen.findAllByText('shop')).length).toBe(2);
      expect(screen.getByText('discovery').closest('a')).toHaveAttribute(
        'href',
        '/catalog/default/system/discovery',
      );
      // Among real ones, the simulated release says so.
      expect(
        within(screen.getByText('Shopping cart').closest('tr')!).getByText(
          'simulated',
        ),
      ).toBeInTheDocument();
      expect(
        within(screen.getByText('search-service').closest('tr')!).queryByText(
          'simulated',
        ),
      ).toBeNull();

      await choose('Team', 'Checkout');
      expect(rows()).toHaveLength(2);
      expect(
        screen.getByText(/^2 of 3 across the company right now, newest first/),
      ).toBeInTheDocument();

      await choose('Environment', 'staging');
      expect(rows()).toHaveLength(1);
      expect(rows()[0]).toMatch(/Shopping cart/);

      await choose('Environment', 'All environments');
      await choose('Team', 'All teams');
      await choose('System', 'discovery');
      expect(rows()).toHaveLength(1);
      expect(rows()[0]).toMatch(/search-service/);
    });

    it('reads its filters from the address', async () => {
      const api = fakeGlidepathApi({
        listReleasesInFlight: async () => inFlight,
      });
      await render(api, '/glidepath/releases?environment=staging');
      await screen.findByText(/across the company right now/);
      expect(rows()).toHaveLength(1);
      expect(rows()[0]).toMatch(/Shopping cart/);
    });

    it('says when nothing is in flight, shows progress and errors', async () => {
      const { unmount } = await render(
        fakeGlidepathApi({
          listReleasesInFlight: async () => ({ total: 0, items: [] }),
        }),
      );
      expect(
        await screen.findByText('No release in flight'),
      ).toBeInTheDocument();
      unmount();

      const loading = await render(
        fakeGlidepathApi({ listReleasesInFlight: () => new Promise(() => {}) }),
      );
      expect(await screen.findByTestId('progress')).toBeInTheDocument();
      loading.unmount();

      await render(
        fakeGlidepathApi({
          listReleasesInFlight: async () => {
            throw await responseError(
              500,
              'Internal Server Error',
              'Error',
              'boom',
            );
          },
        }),
      );
      expect(
        await screen.findByText(/Could not load the releases in flight/),
      ).toBeInTheDocument();
    });
  });

  describe('Plans', () => {
    it('lists active and finished plans with state, waves and start, linked to their pages', async () => {
      const api = fakeGlidepathApi({
        listPlans: jest.fn(async options =>
          options?.state === 'active'
            ? { items: [makePlan({ simulated: true })] }
            : {
                items: [
                  makePlan({
                    id: 'plan-0',
                    title: 'Search 4',
                    state: 'succeeded',
                    currentWave: null,
                    finishedAt: '2026-12-06T12:00:00Z',
                    waves: makePlan().waves.map(w => ({ ...w, state: 'done' })),
                  }),
                ],
              },
        ),
      });
      await render(api, '/glidepath/releases?tab=plans');
      const active = await screen.findByTestId('glidepath-plans-active');
      expect(
        within(active).getByText('Checkout 2.0').closest('a'),
      ).toHaveAttribute('href', '/glidepath/plans/plan-1');
      expect(within(active).getByText('Running')).toBeInTheDocument();
      expect(within(active).getByText('1 of 3 waves done')).toBeInTheDocument();
      expect(within(active).getByText('now wave 2')).toBeInTheDocument();
      expect(within(active).getByText('Simulation')).toBeInTheDocument();
      expect(
        within(active).getByText(
          'inventory-service, checkout-service, storefront',
        ),
      ).toBeInTheDocument();
      const finished = screen.getByTestId('glidepath-plans-finished');
      expect(within(finished).getByText('Search 4')).toBeInTheDocument();
      expect(within(finished).getByText('Succeeded')).toBeInTheDocument();
      expect(
        within(finished).getByText('3 of 3 waves done'),
      ).toBeInTheDocument();
      expect(api.listPlans).toHaveBeenCalledWith({ state: 'active' });
      expect(api.listPlans).toHaveBeenCalledWith({
        state: 'finished',
        limit: 50,
      });
    });

    it('says when there are no plans, and shows errors', async () => {
      const { unmount } = await render(
        fakeGlidepathApi(),
        '/glidepath/releases?tab=plans',
      );
      expect(
        await screen.findByText('No release plans yet'),
      ).toBeInTheDocument();
      unmount();
      await render(
        fakeGlidepathApi({
          listPlans: async () => {
            throw await responseError(
              500,
              'Internal Server Error',
              'Error',
              'boom',
            );
          },
        }),
        '/glidepath/releases?tab=plans',
      );
      expect(
        await screen.findByText(/Could not load the release plans/),
      ).toBeInTheDocument();
    });

    it('switches tabs from In flight', async () => {
      const api = fakeGlidepathApi({
        listReleasesInFlight: async () => inFlight,
        listPlans: async () => ({ items: [makePlan()] }),
      });
      await render(api);
      await screen.findByText(/across the company right now/);
      fireEvent.click(screen.getByRole('tab', { name: 'Plans' }));
      expect(await screen.findAllByText('Checkout 2.0')).not.toHaveLength(0);
    });
  });

  describe('Calendar', () => {
    const by = { kind: 'user' as const, ref: 'user:default/admin' };
    const tz = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    const train = (id: string, title: string, scope: ReleaseTrain['scope']) =>
      ({
        id,
        title,
        scope,
        timezone: tz,
        start: '2026-01-05T10:00',
        rrule: 'FREQ=WEEKLY;BYDAY=MO,TH',
        createdBy: by,
        createdAt: '2026-01-01T00:00:00Z',
        nextSlots: [],
      } as ReleaseTrain);
    const freeze: FreezeWindow = {
      id: 'w1',
      title: 'Search freeze',
      effect: 'deny',
      scope: { kind: 'system', ref: 'system:default/discovery' },
      reason: 'Reindexing',
      timezone: tz,
      start: '2030-01-01T00:00',
      rrule: 'FREQ=WEEKLY;BYDAY=WE',
      durationMinutes: 120,
      createdBy: by,
      createdAt: '2026-01-01T00:00:00Z',
    };

    it('shows a month and a week of trains and freezes, for everyone or one team', async () => {
      // Every Wednesday from 2030: none this month; use a window from now.
      const now = new Date();
      const start = new Date(now.getFullYear(), now.getMonth(), 1);
      const local = (d: Date) =>
        `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(
          2,
          '0',
        )}-${String(d.getDate()).padStart(2, '0')}T00:00`;
      const api = fakeGlidepathApi({
        listFreezeWindows: async () => ({
          items: [{ ...freeze, start: local(start) }],
        }),
        listReleaseTrains: async () => ({
          items: [
            train('t1', 'Checkout train', {
              kind: 'owner',
              ref: 'group:default/team-checkout',
            }),
            train('t2', 'Company train', { kind: 'organisation' }),
          ],
        }),
      });
      await render(api, '/glidepath/releases?tab=calendar');
      const month = await screen.findByTestId('glidepath-calendar-month');
      const trains = () =>
        within(screen.getByRole('grid')).queryAllByTestId(
          'glidepath-calendar-grid-train',
        );
      const freezes = () =>
        within(screen.getByRole('grid')).queryAllByTestId(
          'glidepath-calendar-grid-window',
        );
      // Two trains each Monday and Thursday; one freeze each Wednesday.
      expect(trains().length).toBeGreaterThanOrEqual(2 * 8);
      expect(freezes().length).toBeGreaterThanOrEqual(4);
      expect(
        within(month).getAllByText(/Checkout train/).length,
      ).toBeGreaterThan(0);
      expect(
        screen
          .getByText(/Freeze windows, trains and calendar feeds/)
          .closest('a'),
      ).toHaveAttribute('href', '/glidepath/calendar');

      // Search's team: the company train and the search system's freeze.
      await choose('Team', 'Search');
      expect(
        within(screen.getByRole('grid')).queryAllByText(/Checkout train/),
      ).toHaveLength(0);
      expect(
        within(screen.getByRole('grid')).getAllByText(/Company train/).length,
      ).toBeGreaterThan(0);
      expect(freezes().length).toBeGreaterThanOrEqual(4);

      // Checkout's team: its own train, not the search freeze.
      await choose('Team', 'Checkout');
      expect(freezes()).toHaveLength(0);
      expect(
        within(screen.getByRole('grid')).getAllByText(/Checkout train/).length,
      ).toBeGreaterThan(0);

      fireEvent.click(screen.getByRole('button', { name: 'Week' }));
      const week = await screen.findByTestId('glidepath-calendar-week');
      expect(
        within(week).getAllByTestId('glidepath-calendar-day'),
      ).toHaveLength(7);
      // Two slots a week for each train of the team.
      expect(trains()).toHaveLength(4);
      fireEvent.click(screen.getByRole('button', { name: 'Next week' }));
      expect(trains()).toHaveLength(4);
      expect(screen.getByText(/^Week of /)).toBeInTheDocument();
    });

    it('draws a freeze over several days as one band, titled on its first day and on each Monday', async () => {
      // 10 days from the month's 9th: the 9th and 10th in one week, two
      // days of the next week start with a Monday, and so on.
      const now = new Date();
      const pad = (n: number) => String(n).padStart(2, '0');
      const day = (d: number) =>
        `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(d)}T00:00`;
      const api = fakeGlidepathApi({
        listFreezeWindows: async () => ({
          items: [
            {
              ...freeze,
              start: day(9),
              rrule: undefined,
              durationMinutes: undefined,
              end: day(19),
            } as FreezeWindow,
          ],
        }),
        listReleaseTrains: async () => ({ items: [] }),
      });
      await render(api, '/glidepath/releases?tab=calendar');
      const month = await screen.findByTestId('glidepath-calendar-month');
      const cells = within(month).getAllByTestId('glidepath-calendar-day');
      const inMonth = (d: number) =>
        cells.find(
          c =>
            c.getAttribute('aria-label') ===
            new Date(now.getFullYear(), now.getMonth(), d).toDateString(),
        )!;
      const titled = (d: number) =>
        within(inMonth(d)).queryAllByTestId('glidepath-calendar-grid-window');
      const continued = (d: number) =>
        within(inMonth(d)).queryAllByTestId(
          'glidepath-calendar-grid-window-continued',
        );
      const days = Array.from({ length: 10 }, (_, i) => 9 + i);
      const titledDays = days.filter(
        d =>
          d === 9 ||
          new Date(now.getFullYear(), now.getMonth(), d).getDay() === 1,
      );
      // Titled where it starts and where a week row starts; a plain band
      // in the other days, named for screen readers.
      expect(days.filter(d => titled(d).length === 1)).toEqual(titledDays);
      expect(days.filter(d => continued(d).length === 1)).toEqual(
        days.filter(d => !titledDays.includes(d)),
      );
      expect(
        new Set(
          days.flatMap(d =>
            continued(d).map(c => c.getAttribute('aria-label')),
          ),
        ),
      ).toEqual(new Set(['Freeze: Search freeze (continued)']));
      expect(titled(9)[0]).toHaveTextContent('Freeze: Search freeze');
      expect(titled(19)).toHaveLength(0);
      expect(continued(19)).toHaveLength(0);
    });

    it('says when there is nothing on the calendar, and shows errors', async () => {
      const { unmount } = await render(
        fakeGlidepathApi({
          listFreezeWindows: async () => ({ items: [] }),
          listReleaseTrains: async () => ({ items: [] }),
        }),
        '/glidepath/releases?tab=calendar',
      );
      expect(
        await screen.findByText('No freeze windows or release trains'),
      ).toBeInTheDocument();
      unmount();
      await render(
        fakeGlidepathApi({
          listFreezeWindows: async () => {
            throw await responseError(
              500,
              'Internal Server Error',
              'Error',
              'boom',
            );
          },
          listReleaseTrains: async () => ({ items: [] }),
        }),
        '/glidepath/releases?tab=calendar',
      );
      expect(
        await screen.findByText(/Could not load the release calendar/),
      ).toBeInTheDocument();
    });
  });
});
