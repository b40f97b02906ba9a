import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Route, Routes } from 'react-router-dom';
import type { GlidepathApi } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { analyticsRouteRef } from '../../routes';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makeDoraMeasures, makeDoraResponse } from '../../__testUtils__/dora';
import { ALLOW } from '../../__testUtils__/render';
import { ReleaseAnalyticsPage } from './ReleaseAnalyticsPage';

jest.setTimeout(20_000);

function render(api: GlidepathApi, path: string) {
  const apis: any[] = [
    [glidepathApiRef, api],
    mockApis.permission({ authorize: ALLOW }),
  ];
  // Mounted where the app mounts it: its own routes are relative.
  return renderInTestApp(
    <Routes>
      <Route path="/glidepath/analytics/*" element={<ReleaseAnalyticsPage />} />
    </Routes>,
    {
      apis: apis as [],
      initialRouteEntries: [path],
      mountedRoutes: {
        '/glidepath/analytics': analyticsRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

const groups = [
  {
    ref: 'group:default/team-checkout',
    title: null,
    entities: 2,
    summary: makeDoraMeasures({ deployments: 20, deploymentsPerDay: 20 / 28 }),
  },
  {
    ref: 'group:default/team-payments',
    title: null,
    entities: 3,
    summary: makeDoraMeasures({ deployments: 5, deploymentsPerDay: 5 / 28 }),
  },
];

describe('ReleaseAnalyticsPage', () => {
  it('shows the organisation and ranks its teams, each linking to its page', async () => {
    const api = fakeGlidepathApi({
      getDora: async query =>
        makeDoraResponse({
          scope: { type: 'all', ref: null },
          ...(query.groupBy === 'owner' && { groups }),
        }),
    });
    await render(api, '/glidepath/analytics');
    expect(
      await screen.findByTestId('glidepath-analytics-scope'),
    ).toHaveTextContent('The whole organisation');
    const teams = await screen.findByTestId('glidepath-dora-teams');
    const links = within(teams).getAllByTestId('glidepath-dora-teams-link');
    expect(links.map(l => l.textContent)).toEqual([
      'team-checkout',
      'team-payments',
    ]);
    // Ranked 1..n in the first column.
    expect(
      links.map(l => l.closest('tr')!.querySelector('td')!.textContent),
    ).toEqual(['1', '2']);
    expect(links[0]).toHaveAttribute(
      'href',
      '/glidepath/analytics?owner=group%3Adefault%2Fteam-checkout',
    );
    expect(api.getDora).toHaveBeenCalledWith(
      expect.objectContaining({ groupBy: 'owner' }),
    );
    // Says once where the levels come from, and where they surprise.
    expect(screen.getAllByTestId('glidepath-dora-levels-note')).toHaveLength(1);
    expect(screen.getByTestId('glidepath-dora-levels-note')).toHaveTextContent(
      'Levels are the bands of the DORA 2024 report; hover over a level for its range. For change failure rate, medium (above 7.5%, up to 15%) is better than high (above 15%, up to 30%), as in the report.',
    );
  });

  it("gives each level chip its band's range on hover", async () => {
    const api = fakeGlidepathApi({
      getDora: async query =>
        makeDoraResponse({
          scope: { type: 'all', ref: null },
          ...(query.groupBy === 'owner' && {
            groups: [
              {
                ref: 'group:default/team-checkout',
                title: null,
                entities: 2,
                summary: makeDoraMeasures({
                  changeFailureRate: {
                    failures: 7,
                    deployments: 25,
                    rate: 0.28,
                    level: 'high',
                  },
                }),
              },
            ],
          }),
        }),
    });
    await render(api, '/glidepath/analytics');
    const teams = await screen.findByTestId('glidepath-dora-teams');
    const row = within(teams)
      .getByTestId('glidepath-dora-teams-link')
      .closest('tr')!;
    // The change failure rate's cell: 28%, high.
    const chip = within(
      within(row).getByText('28%').parentElement!,
    ).getByTestId('glidepath-dora-level');
    expect(chip).toHaveTextContent('high');
    await userEvent.hover(chip);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'High: change failure rate above 15%, up to 30% (DORA 2024 bands).',
    );
  });

  it('shows a team: its services linking to their Release health tab, and its reports', async () => {
    const api = fakeGlidepathApi({
      getDora: async query =>
        makeDoraResponse({
          scope: { type: 'owner', ref: 'group:default/team-checkout' },
          ...(query.groupBy === 'entity' && {
            groups: [
              {
                ref: 'component:default/checkout-service',
                title: null,
                entities: 1,
                summary: makeDoraMeasures(),
              },
            ],
          }),
        }),
      listDoraReports: async () => ({
        items: [
          {
            id: 'r1',
            ownerRef: 'group:default/team-checkout',
            periodStart: '2026-11-16T00:00:00.000Z',
            periodEnd: '2026-11-23T00:00:00.000Z',
            createdAt: '2026-11-23T07:00:00.000Z',
            deployments: 9,
            changeFailureRate: 0.111,
          },
        ],
      }),
    });
    await render(
      api,
      '/glidepath/analytics?owner=group%3Adefault%2Fteam-checkout',
    );
    const services = await screen.findByTestId('glidepath-dora-services');
    expect(
      within(services).getByTestId('glidepath-dora-services-link'),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-service/release-health',
    );
    const report = await screen.findByTestId('glidepath-report-link');
    expect(report).toHaveTextContent('Week of Nov 16, 2026');
    expect(report).toHaveAttribute('href', '/glidepath/analytics/reports/r1');
    expect(screen.getByText('11%')).toBeInTheDocument();
  });

  it('shows one weekly report with how each measure moved', async () => {
    const summary = makeDoraMeasures();
    const api = fakeGlidepathApi({
      getDoraReport: async () => ({
        id: 'r1',
        ownerRef: 'group:default/team-checkout',
        periodStart: '2026-11-16T00:00:00.000Z',
        periodEnd: '2026-11-23T00:00:00.000Z',
        createdAt: '2026-11-23T07:00:00.000Z',
        summary,
        previous: summary,
        changes: [
          {
            measure: 'deploymentFrequency',
            current: 1,
            previous: 0.5,
            trend: 'better',
          },
          { measure: 'leadTime', current: 2, previous: 2, trend: 'same' },
          {
            measure: 'changeFailureRate',
            current: 0.3,
            previous: 0.1,
            trend: 'worse',
          },
          {
            measure: 'recoveryTime',
            current: null,
            previous: null,
            trend: 'no-data',
          },
        ],
        services: [],
        failures: [],
        slowestLeadTimes: [],
      }),
    });
    await render(api, '/glidepath/analytics/reports/r1');
    expect(
      await screen.findByTestId('glidepath-weekly-report'),
    ).toHaveTextContent('team-checkout: week of Nov 16, 2026');
    expect(
      screen.getByTestId('glidepath-dora-tile-deploymentFrequency'),
    ).toHaveTextContent('▲ better than the week before (3.5 / week)');
    expect(
      screen.getByTestId('glidepath-dora-tile-changeFailureRate'),
    ).toHaveTextContent('▼ worse than the week before (10%)');
    expect(
      screen.getByTestId('glidepath-dora-tile-leadTime'),
    ).toHaveTextContent('= about the same as the week before');
    expect(screen.getAllByTestId('glidepath-dora-change')).toHaveLength(3);
    expect(screen.getByText('No deployments this week.')).toBeInTheDocument();
  });

  it('says when a report cannot be read', async () => {
    const api = fakeGlidepathApi({
      getDoraReport: async () => {
        throw new Error('No report r9');
      },
    });
    await render(api, '/glidepath/analytics/reports/r9');
    expect((await screen.findAllByText(/No report r9/)).length).toBeGreaterThan(
      0,
    );
  });
});
