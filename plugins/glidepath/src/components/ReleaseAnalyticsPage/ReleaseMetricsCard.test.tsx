import { screen, within } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Route, Routes } from 'react-router-dom';
import type {
  GlidepathApi,
  ReleaseMetricsMeasures,
  ReleaseMetricsResponse,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { analyticsRouteRef } from '../../routes';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makeDoraMeasures, makeDoraResponse } from '../../__testUtils__/dora';
import { ALLOW, responseError } from '../../__testUtils__/render';
import { ReleaseAnalyticsPage } from './ReleaseAnalyticsPage';
import { ReleaseMetricsView } from './ReleaseMetricsCard';

jest.setTimeout(20_000);

function measures(
  over: Partial<ReleaseMetricsMeasures> = {},
): ReleaseMetricsMeasures {
  return {
    productionReleases: 30,
    rollbackTested: { releases: 30, tested: 24, share: 0.8 },
    progressiveDelivery: {
      progressive: 20,
      allAtOnce: 5,
      unknown: 5,
      share: 0.8,
      strategies: { canary: 18, blue_green: 2, rolling: 5, recreate: 0 },
    },
    rollbackTime: {
      automatic: {
        rollbacks: 6,
        medianMs: 45_000,
        p90Ms: 90_000,
        withinTarget: 6,
        unfinished: 0,
      },
      manual: {
        rollbacks: 2,
        medianMs: 200_000,
        p90Ms: 260_000,
        withinTarget: 0,
        unfinished: 1,
      },
    },
    ...over,
  };
}

function response(
  over: Partial<ReleaseMetricsResponse> = {},
): ReleaseMetricsResponse {
  const summary = over.summary ?? measures();
  return {
    scope: { type: 'all', ref: null },
    from: '2026-06-07T00:00:00.000Z',
    to: '2026-12-06T00:00:00.000Z',
    bucket: 'week',
    targets: { rollbackTestedShare: 0.7, rollbackTimeMs: 120_000 },
    summary,
    series: [
      {
        start: '2026-11-23T00:00:00.000Z',
        end: '2026-11-30T00:00:00.000Z',
        measures: summary,
      },
      {
        start: '2026-11-30T00:00:00.000Z',
        end: '2026-12-07T00:00:00.000Z',
        measures: measures({
          rollbackTested: { releases: 4, tested: 1, share: 0.25 },
        }),
      },
    ],
    simulatedReleases: 0,
    ...over,
  };
}

function render(api: GlidepathApi, path: string) {
  const apis: any[] = [
    [glidepathApiRef, api],
    mockApis.permission({ authorize: ALLOW }),
  ];
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

const others: Partial<GlidepathApi> = {
  getDora: async () => makeDoraResponse({ scope: { type: 'all', ref: null } }),
  getFlagCoverage: async () => ({
    from: '2026-11-03T00:00:00.000Z',
    to: '2026-12-01T00:00:00.000Z',
    target: 0.8,
    organisation: { releases: 0, behindFlags: 0, share: null },
    teams: [],
  }),
};

describe('release metrics on Release analytics', () => {
  it('shows the organisation’s three measures against their targets, with trends', async () => {
    const api = fakeGlidepathApi({
      ...others,
      getReleaseMetrics: async () => response(),
    });
    await render(api, '/glidepath/analytics');
    const card = await screen.findByTestId('glidepath-release-metrics');
    const tested = within(card).getByTestId('glidepath-release-metrics-tested');
    expect(tested).toHaveTextContent('80%');
    expect(tested).toHaveTextContent(
      '24 of 30 production releases tested first',
    );
    expect(
      within(card).getByTestId('glidepath-release-metrics-tested-target'),
    ).toHaveTextContent('Target 70%: on target');
    const progressive = within(card).getByTestId(
      'glidepath-release-metrics-progressive',
    );
    expect(progressive).toHaveTextContent('80%');
    expect(progressive).toHaveTextContent(
      'canary 18 · blue-green 2 · rolling 5; 5 of unknown strategy, not counted',
    );
    expect(
      within(card).getByTestId('glidepath-release-metrics-rollback-time'),
    ).toHaveTextContent('45s automatic · 3m 20s by hand');
    expect(
      within(card).getByTestId(
        'glidepath-release-metrics-rollback-time-target',
      ),
    ).toHaveTextContent('Target 2m (median): over');
    expect(
      within(card).getByTestId('glidepath-release-metrics-rollback-automatic'),
    ).toHaveTextContent(
      'Automatic: median 45s, p90 1m 30s (6 rollbacks, 6 within target)',
    );
    expect(
      within(card).getByTestId('glidepath-release-metrics-rollback-manual'),
    ).toHaveTextContent(
      'By hand: median 3m 20s, p90 4m 20s (2 rollbacks, 0 within target; 1 did not finish)',
    );
    expect(
      within(card).getByTestId('glidepath-release-metrics-trends'),
    ).toBeInTheDocument();
    // The organisation is asked once, for the last six months.
    expect(api.getReleaseMetrics).toHaveBeenCalledTimes(1);
    const [query] = api.getReleaseMetrics.mock.calls[0];
    expect(query.owner).toBeUndefined();
    expect(Date.now() - Date.parse(query.from!)).toBeGreaterThan(
      181 * 86_400_000,
    );
    expect(
      screen.queryByTestId('glidepath-release-metrics-tested-organisation'),
    ).not.toBeInTheDocument();
  });

  it("shows a team's measures beside the organisation's, below target in red words", async () => {
    const api = fakeGlidepathApi({
      ...others,
      listDoraReports: async () => ({ items: [] }),
      getReleaseMetrics: async query =>
        query.owner
          ? response({
              scope: { type: 'owner', ref: query.owner },
              summary: measures({
                rollbackTested: { releases: 10, tested: 4, share: 0.4 },
              }),
            })
          : response(),
    });
    await render(
      api,
      '/glidepath/analytics?owner=group%3Adefault%2Fteam-checkout',
    );
    const card = await screen.findByTestId('glidepath-release-metrics');
    expect(
      screen.getByText(
        'Rollback tests, progressive delivery and rollback time of team-checkout, last six months',
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByTestId('glidepath-release-metrics-tested'),
    ).toHaveTextContent('40%');
    expect(
      within(card).getByTestId('glidepath-release-metrics-tested-target'),
    ).toHaveTextContent('Target 70%: 30 points below');
    expect(
      within(card).getByTestId('glidepath-release-metrics-tested-organisation'),
    ).toHaveTextContent('Organisation: 80%');
    expect(
      within(card).getByTestId(
        'glidepath-release-metrics-rollback-organisation',
      ),
    ).toHaveTextContent('Organisation: automatic 45s, by hand 3m 20s');
    expect(api.getReleaseMetrics).toHaveBeenCalledWith(
      expect.objectContaining({ owner: 'group:default/team-checkout' }),
    );
    expect(api.getReleaseMetrics).toHaveBeenCalledTimes(2);
  });

  it('says when there is nothing to measure', async () => {
    const empty = measures({
      productionReleases: 0,
      rollbackTested: { releases: 0, tested: 0, share: null },
      progressiveDelivery: {
        progressive: 0,
        allAtOnce: 0,
        unknown: 0,
        share: null,
        strategies: { canary: 0, blue_green: 0, rolling: 0, recreate: 0 },
      },
      rollbackTime: {
        automatic: {
          rollbacks: 0,
          medianMs: null,
          p90Ms: null,
          withinTarget: 0,
          unfinished: 0,
        },
        manual: {
          rollbacks: 0,
          medianMs: null,
          p90Ms: null,
          withinTarget: 0,
          unfinished: 0,
        },
      },
    });
    const api = fakeGlidepathApi({
      ...others,
      getReleaseMetrics: async () => response({ summary: empty, series: [] }),
    });
    await render(api, '/glidepath/analytics');
    const card = await screen.findByTestId('glidepath-release-metrics');
    expect(card).toHaveTextContent(
      'No production releases or rollbacks in these six months',
    );
    expect(
      within(card).queryByTestId('glidepath-release-metrics-tiles'),
    ).not.toBeInTheDocument();
  });

  it('shows the error and the loading state', async () => {
    let fail: (error: Error) => void = () => {};
    const api = fakeGlidepathApi({
      ...others,
      getReleaseMetrics: () =>
        new Promise((_, reject) => {
          fail = reject;
        }),
    });
    await render(api, '/glidepath/analytics');
    expect(
      await screen.findByTestId('glidepath-release-metrics-loading'),
    ).toBeInTheDocument();
    fail(
      await responseError(
        500,
        'Internal Server Error',
        'Error',
        'The database is away',
      ),
    );
    expect(await screen.findByText(/The database is away/)).toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-release-metrics-loading'),
    ).not.toBeInTheDocument();
  });

  it("shows a weekly report's release metrics section against the targets", async () => {
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
        changes: [],
        services: [],
        failures: [],
        slowestLeadTimes: [],
        releaseMetrics: {
          measures: measures({
            rollbackTested: { releases: 4, tested: 3, share: 0.75 },
          }),
          targets: { rollbackTestedShare: 0.7, rollbackTimeMs: 120_000 },
        },
      }),
    });
    await render(api, '/glidepath/analytics/reports/r1');
    const section = await screen.findByTestId(
      'glidepath-weekly-report-release-metrics',
    );
    expect(
      within(section).getByTestId('glidepath-release-metrics-tested'),
    ).toHaveTextContent(
      '75%Target 70%: on target3 of 4 production releases tested first',
    );
    expect(
      within(section).getByTestId('glidepath-release-metrics-rollback-time'),
    ).toHaveTextContent('Target 2m (median): over');
  });

  it('labels simulated releases and draws the target lines', async () => {
    await renderInTestApp(
      <ReleaseMetricsView
        metrics={response({ simulatedReleases: 12 })}
        chartWidth={400}
      />,
    );
    expect(
      screen.getByTestId('glidepath-release-metrics-simulated'),
    ).toHaveTextContent(
      'Simulated: 12 of these 30 production releases were made up by the sandbox',
    );
    const tested = screen.getByTestId('glidepath-release-metrics-trend-tested');
    expect(tested).toHaveTextContent('target 70%');
    expect(
      screen.getByTestId('glidepath-release-metrics-trend-rollback-time'),
    ).toHaveTextContent('target 2m');
  });

  it('shows the share of cross-service releases through a plan against 70%, beside the organisation’s, with its trend', async () => {
    const planned = (crossServiceReleases: number, count: number) => ({
      crossServiceReleases,
      planned: count,
      share: crossServiceReleases ? count / crossServiceReleases : null,
    });
    const api = fakeGlidepathApi({
      ...others,
      listDoraReports: async () => ({ items: [] }),
      getReleaseMetrics: async query =>
        response({
          targets: {
            rollbackTestedShare: 0.7,
            rollbackTimeMs: 120_000,
            plannedShare: 0.7,
          },
          ...(query.owner
            ? {
                scope: { type: 'owner', ref: query.owner },
                summary: measures({ plannedCrossService: planned(5, 3) }),
              }
            : { summary: measures({ plannedCrossService: planned(8, 7) }) }),
        }),
    });
    await render(
      api,
      '/glidepath/analytics?owner=group%3Adefault%2Fteam-checkout',
    );
    const card = await screen.findByTestId('glidepath-release-metrics');
    const tile = within(card).getByTestId('glidepath-release-metrics-planned');
    expect(tile).toHaveTextContent('60%');
    expect(tile).toHaveTextContent(
      '3 of 5 cross-service releases through a release plan',
    );
    expect(
      within(card).getByTestId('glidepath-release-metrics-planned-target'),
    ).toHaveTextContent('Target 70%: 10 points below');
    expect(
      within(card).getByTestId(
        'glidepath-release-metrics-planned-organisation',
      ),
    ).toHaveTextContent('Organisation: 88%');
    expect(
      screen.getByText(
        /cross-service releases \(production releases of services linked by a dependency or a version requirement, started within a day\) that went through a release plan \(target 70%\)/,
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByTestId('glidepath-release-metrics-trend-planned'),
    ).toBeInTheDocument();
  });

  it('draws the plan trend with its target, and leaves the tile out of an answer without the measure', async () => {
    const withPlans = response({
      targets: {
        rollbackTestedShare: 0.7,
        rollbackTimeMs: 120_000,
        plannedShare: 0.7,
      },
      summary: measures({
        plannedCrossService: {
          crossServiceReleases: 0,
          planned: 0,
          share: null,
        },
      }),
    });
    const { unmount } = await renderInTestApp(
      <ReleaseMetricsView metrics={withPlans} chartWidth={400} />,
    );
    const tile = screen.getByTestId('glidepath-release-metrics-planned');
    expect(tile).toHaveTextContent('—');
    expect(tile).toHaveTextContent('Target 70%: no data');
    expect(tile).toHaveTextContent('No cross-service releases');
    expect(
      screen.getByTestId('glidepath-release-metrics-trend-planned'),
    ).toHaveTextContent('target 70%');
    unmount();
    // A weekly report made before the measure existed.
    await renderInTestApp(
      <ReleaseMetricsView metrics={response()} chartWidth={400} />,
    );
    expect(
      screen.queryByTestId('glidepath-release-metrics-planned'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-release-metrics-trend-planned'),
    ).not.toBeInTheDocument();
  });
});
