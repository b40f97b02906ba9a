import { screen, within } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { FlagSummary } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { responseError } from '../../__testUtils__/render';
import { CoverageCard, FlagsPage, FlagsSummaryView } from './FlagsPage';

jest.setTimeout(20_000);

const summary: FlagSummary = {
  total: 6,
  counts: { stale: 3, fresh: 2, permanent: 1 },
  teams: [
    {
      owner: 'group:default/team-cart',
      title: 'Cart',
      total: 3,
      stale: 2,
      counts: { stale: 2, fresh: 1 },
    },
    {
      owner: 'ann@example.com',
      total: 2,
      stale: 1,
      counts: { stale: 1, permanent: 1 },
    },
    { owner: null, total: 1, stale: 0, counts: { fresh: 1 } },
  ],
  ages: [
    { label: 'under 2 weeks', count: 2 },
    { label: '2-6 weeks', count: 1 },
    { label: '6 weeks-3 months', count: 2 },
    { label: '3-6 months', count: 0 },
    { label: '6-12 months', count: 0 },
    { label: 'over a year', count: 1 },
  ],
  debt: Array.from({ length: 26 }, (_, i) => ({
    weekEnding: new Date(Date.UTC(2026, 5, 9) + i * 7 * 86400000)
      .toISOString()
      .slice(0, 10),
    flags: 2 + Math.floor(i / 5),
    stale: Math.floor(i / 8),
  })),
};

function render(element: JSX.Element, api = fakeGlidepathApi()) {
  return renderInTestApp(element, {
    apis: [[glidepathApiRef, api], mockApis.permission()] as any,
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('the Feature flags page', () => {
  it('ranks teams by their stale flags, and draws ages and debt', async () => {
    await render(<FlagsSummaryView summary={summary} chartWidth={500} />);
    expect(screen.getByTestId('glidepath-flags-total')).toHaveTextContent(
      '6 flags: 3 stale, 2 fresh, 1 permanent',
    );
    const rows = within(
      screen.getByTestId('glidepath-flag-teams'),
    ).getAllByRole('row');
    expect(rows.slice(1).map(r => r.textContent)).toEqual([
      '1Cart232 stale, 1 fresh',
      '2ann@example.com121 stale, 1 permanent',
      '3No owner011 fresh',
    ]);
    expect(screen.getByRole('link', { name: 'Cart' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-cart',
    );
    expect(
      screen
        .getByTestId('glidepath-flag-ages')
        .querySelectorAll('.recharts-bar-rectangle'),
    ).toHaveLength(6);
    expect(
      screen
        .getByTestId('glidepath-flag-debt')
        .querySelectorAll('.recharts-line'),
    ).toHaveLength(2);
    // Real flags only: nothing says simulated.
    expect(screen.queryByTestId('glidepath-flags-simulated')).toBeNull();
  });

  it("says which flags are the sandbox's demo flags", async () => {
    await render(
      <FlagsSummaryView
        summary={{ ...summary, simulated: 4 }}
        chartWidth={500}
      />,
    );
    expect(screen.getByTestId('glidepath-flags-simulated')).toHaveTextContent(
      "Simulated4 of them are the sandbox's demo flags, not a real flag service's.",
    );
  });

  it('reads the summary, and says when there are no flags or it failed', async () => {
    const empty = fakeGlidepathApi({
      getFlagSummary: async () => ({
        ...summary,
        total: 0,
        counts: {},
        teams: [],
      }),
    });
    const { unmount } = await render(<FlagsPage />, empty);
    expect(await screen.findByText('No feature flags yet')).toBeInTheDocument();
    unmount();
    const failing = fakeGlidepathApi({
      getFlagCoverage: async () => {
        throw new Error('no coverage either');
      },
      getFlagSummary: async () => {
        throw await responseError(
          503,
          'Service Unavailable',
          'Error',
          'the database is down',
        );
      },
    });
    await render(<FlagsPage />, failing);
    expect(await screen.findByText(/the database is down/)).toBeInTheDocument();
  });

  it('gives the share of new features behind flags against the target, per team', async () => {
    await render(
      <CoverageCard
        coverage={{
          from: '2026-11-03T00:00:00.000Z',
          to: '2026-12-01T00:00:00.000Z',
          target: 0.8,
          organisation: { releases: 40, behindFlags: 10, share: 0.25 },
          teams: [
            {
              owner: 'group:default/team-pay',
              title: 'Payments',
              releases: 30,
              behindFlags: 3,
              share: 0.1,
            },
            {
              owner: 'group:default/team-cart',
              title: null,
              releases: 10,
              behindFlags: 7,
              share: 0.7,
            },
          ],
        }}
      />,
    );
    expect(screen.getByTestId('glidepath-flag-coverage')).toHaveTextContent(
      '25% of 40 production releases (10) were behind a flag: below the 80% target.',
    );
    const rows = within(
      screen.getByTestId('glidepath-flag-coverage-teams'),
    ).getAllByRole('row');
    expect(rows.slice(1).map(r => r.textContent)).toEqual([
      'Payments30310%',
      'team-cart10770%',
    ]);
  });
});
