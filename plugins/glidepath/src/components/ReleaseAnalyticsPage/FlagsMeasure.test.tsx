import { screen, within } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Route, Routes } from 'react-router-dom';
import type {
  DoraReportFlags,
  FlagCoverage,
  GlidepathApi,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { analyticsRouteRef } from '../../routes';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makeDoraMeasures, makeDoraResponse } from '../../__testUtils__/dora';
import { ALLOW, responseError } from '../../__testUtils__/render';
import { ReleaseAnalyticsPage } from './ReleaseAnalyticsPage';
import { againstTarget, describeShare } from './FlagsMeasure';

jest.setTimeout(20_000);

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

const coverage: FlagCoverage = {
  from: '2026-11-03T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  target: 0.8,
  organisation: { releases: 40, behindFlags: 12, share: 0.3 },
  teams: [
    // Named as the catalog has it, in the answer.
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
      behindFlags: 9,
      share: 0.9,
    },
    // A team with flags but no release in the period: not ranked.
    {
      owner: 'group:default/team-idle',
      title: null,
      releases: 0,
      behindFlags: 0,
      share: null,
    },
  ],
};

const dora = {
  getDora: async () => makeDoraResponse({ scope: { type: 'all', ref: null } }),
};

describe('the share of new features behind flags on Release analytics', () => {
  it('gives the organisation against the 80% target and each team, linking to its analytics', async () => {
    const api = fakeGlidepathApi({
      ...dora,
      getFlagCoverage: async () => coverage,
    });
    await render(api, '/glidepath/analytics');
    const card = await screen.findByTestId('glidepath-analytics-flags');
    expect(
      within(card).getByTestId('glidepath-analytics-flags-organisation'),
    ).toHaveTextContent(
      '30% of 40 production releases (12) were behind a flag: below the 80% target.',
    );
    const rows = within(
      within(card).getByTestId('glidepath-analytics-flags-teams'),
    ).getAllByRole('row');
    expect(rows.map(r => r.textContent)).toEqual([
      'TeamReleasesBehind a flagShareAgainst 80%',
      'Payments30310%70 points below',
      'team-cart10990%on target',
    ]);
    expect(
      within(rows[1]).getByRole('link', { name: 'Payments' }),
    ).toHaveAttribute(
      'href',
      '/glidepath/analytics?owner=group%3Adefault%2Fteam-pay',
    );
    // Over the last four weeks, as the rest of the page.
    expect(api.getFlagCoverage).toHaveBeenCalledWith();
  });

  it("gives a team's share beside the organisation's", async () => {
    const api = fakeGlidepathApi({
      ...dora,
      listDoraReports: async () => ({ items: [] }),
      getFlagCoverage: async () => coverage,
    });
    await render(api, '/glidepath/analytics?owner=group%3Adefault%2Fteam-cart');
    expect(
      await screen.findByTestId('glidepath-analytics-flags-team'),
    ).toHaveTextContent(
      "90% of team-cart's 10 production releases (9) were behind a flag: on the 80% target.",
    );
    expect(
      screen.getByTestId('glidepath-analytics-flags-organisation'),
    ).toHaveTextContent(
      "30% of the organisation's 40 production releases (12) were behind a flag: below the 80% target.",
    );
    expect(screen.queryByTestId('glidepath-analytics-flags-teams')).toBeNull();
  });

  it('names a team as the catalog does when the answer has its title', async () => {
    const api = fakeGlidepathApi({
      ...dora,
      listDoraReports: async () => ({ items: [] }),
      getFlagCoverage: async () => coverage,
    });
    await render(api, '/glidepath/analytics?owner=group%3Adefault%2Fteam-pay');
    expect(
      await screen.findByTestId('glidepath-analytics-flags-team'),
    ).toHaveTextContent(
      "10% of Payments' 30 production releases (3) were behind a flag: below the 80% target.",
    );
  });

  it('shows progress while reading, says when nothing was released, and when it failed', async () => {
    let answer: (value: FlagCoverage) => void = () => {};
    const pending = fakeGlidepathApi({
      ...dora,
      getFlagCoverage: () =>
        new Promise<FlagCoverage>(resolve => {
          answer = resolve;
        }),
    });
    const { unmount } = await render(pending, '/glidepath/analytics');
    await screen.findByTestId('glidepath-dora-teams');
    expect(screen.queryByTestId('glidepath-analytics-flags')).toBeNull();
    // Backstage's progress bar shows after a short delay.
    await within(
      screen.getByTestId('glidepath-analytics-flags-loading'),
    ).findByRole('progressbar');
    answer({
      ...coverage,
      organisation: { releases: 0, behindFlags: 0, share: null },
      teams: [],
    });
    expect(
      await screen.findByTestId('glidepath-analytics-flags-organisation'),
    ).toHaveTextContent(
      'No production releases with a known first commit in these four weeks.',
    );
    expect(screen.queryByTestId('glidepath-analytics-flags-teams')).toBeNull();
    unmount();

    const failing = fakeGlidepathApi({
      ...dora,
      getFlagCoverage: async () => {
        throw await responseError(
          503,
          'Service Unavailable',
          'Error',
          'the flag inventory is down',
        );
      },
    });
    await render(failing, '/glidepath/analytics');
    expect(
      await screen.findByText(/the flag inventory is down/),
    ).toBeInTheDocument();
    // The DORA measures are shown all the same.
    expect(screen.getByTestId('glidepath-dora-teams')).toBeInTheDocument();
  });

  it.each([
    [0.9, 'on target'],
    [0.8, 'on target'],
    [0.799, 'just below'],
    [0.79, '1 point below'],
    [0.1, '70 points below'],
    [null, 'no releases'],
  ])('says %p against 80%% as %p', (share, words) => {
    expect(againstTarget(share, 0.8)).toBe(words);
  });

  it('says one release in the singular', () => {
    expect(
      describeShare({ releases: 1, behindFlags: 1, share: 1 }, 0.8, 'team-a'),
    ).toBe(
      "100% of team-a's 1 production release (1) was behind a flag: on the 80% target.",
    );
  });
});

const summary = makeDoraMeasures();
function report(flags?: DoraReportFlags) {
  return {
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
    ...(flags && { flags }),
  };
}

const section: DoraReportFlags = {
  inventoryReadAt: '2026-11-23T06:50:00.000Z',
  flags: 6,
  staleTotal: 3,
  cleanup: 'archives',
  staleFlags: [
    {
      entityRef: 'component:default/checkout-service',
      provider: 'unleash',
      key: 'checkout/old-banner',
      name: 'old-banner',
      staleAt: '2026-09-20T12:00:00.000Z',
      reason: 'old-banner is a release flag older than 40 days',
      dueAt: '2026-12-07T12:00:00.000Z',
      announced: true,
      keptUntil: null,
      keepReason: null,
    },
    {
      entityRef: 'component:default/cart-service',
      provider: 'unleash',
      key: 'cart/sale-banner',
      name: 'sale-banner',
      staleAt: '2026-10-20T12:00:00.000Z',
      reason: 'sale-banner is a release flag older than 40 days',
      dueAt: null,
      announced: false,
      keptUntil: '2027-01-15T12:00:00.000Z',
      keepReason: 'Until the January sale',
    },
  ],
  coverage: {
    target: 0.8,
    team: { releases: 4, behindFlags: 1, share: 0.25 },
    organisation: { releases: 20, behindFlags: 10, share: 0.5 },
  },
};

describe("the weekly report's feature flags", () => {
  const day = (iso: string) =>
    new Date(iso).toLocaleDateString([], {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
    });

  it("gives the week's share behind flags against 80% and the stale flags with their due days", async () => {
    const api = fakeGlidepathApi({
      getDoraReport: async () => report(section),
    });
    await render(api, '/glidepath/analytics/reports/r1');
    const card = await screen.findByTestId('glidepath-report-flags');
    expect(
      within(card).getByTestId('glidepath-report-flags-share'),
    ).toHaveTextContent(
      "Behind a flag this week: 25% of the team's 4 production releases (1), 55 points below the 80% target; 50% of the organisation's 20 (10).",
    );
    expect(card).toHaveTextContent('6 flags tracked, 3 stale.');
    const rows = within(
      within(card).getByTestId('glidepath-report-stale-flags'),
    ).getAllByRole('row');
    expect(rows.slice(1).map(r => r.textContent)).toEqual([
      `old-bannercheckout-service${day('2026-09-20T12:00:00.000Z')}${day(
        '2026-12-07T12:00:00.000Z',
      )}`,
      `sale-bannercart-service${day(
        '2026-10-20T12:00:00.000Z',
      )}Kept until ${day('2027-01-15T12:00:00.000Z')}“Until the January sale”`,
    ]);
    expect(
      within(rows[1]).getByRole('link', { name: 'checkout-service' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-service/feature-flags',
    );
    // Two of three listed: says where the rest are.
    expect(card).toHaveTextContent(
      'The 2 longest stale of 3; the rest are on the Feature flags page.',
    );
  });

  it('says what a dry run does, a flag not announced yet, when no flag is tracked, when the inventory was not read yet, and when the week was written afterwards', async () => {
    const dry = fakeGlidepathApi({
      getDoraReport: async () =>
        report({
          ...section,
          staleTotal: 2,
          cleanup: 'dry_run',
          staleFlags: [
            section.staleFlags![0],
            {
              ...section.staleFlags![0],
              key: 'checkout/new-stale',
              name: 'new-stale',
              dueAt: '2026-12-14T07:00:00.000Z',
              announced: false,
            },
          ],
          coverage: {
            target: 0.8,
            team: { releases: 0, behindFlags: 0, share: null },
            organisation: { releases: 0, behindFlags: 0, share: null },
          },
        }),
    });
    const { unmount } = await render(dry, '/glidepath/analytics/reports/r1');
    const card = await screen.findByTestId('glidepath-report-flags');
    expect(card).toHaveTextContent('The cleanup runs as a dry run');
    expect(
      screen
        .getAllByTestId('glidepath-report-flag-due')
        .map(c => c.textContent),
    ).toEqual([
      day('2026-12-07T12:00:00.000Z'),
      `${day('2026-12-14T07:00:00.000Z')}at the earliest: not announced yet`,
    ]);
    expect(
      screen.getByTestId('glidepath-report-flags-share'),
    ).toHaveTextContent(
      'Behind a flag this week: the team had no production release with a known first commit; the organisation had none.',
    );
    unmount();

    const none = fakeGlidepathApi({
      getDoraReport: async () =>
        report({ ...section, flags: 0, staleTotal: 0, staleFlags: [] }),
    });
    const second = await render(none, '/glidepath/analytics/reports/r1');
    expect(
      await screen.findByTestId('glidepath-report-flags'),
    ).toHaveTextContent(
      "No feature flags of the team's services are tracked: annotate them with glidepath.dev/flags",
    );
    expect(screen.queryByTestId('glidepath-report-stale-flags')).toBeNull();
    second.unmount();

    const unread = fakeGlidepathApi({
      getDoraReport: async () =>
        report({
          ...section,
          inventoryReadAt: null,
          flags: 0,
          staleTotal: 0,
          staleFlags: [],
        }),
    });
    const third = await render(unread, '/glidepath/analytics/reports/r1');
    expect(
      await screen.findByTestId('glidepath-report-flags-unread'),
    ).toHaveTextContent(
      'The flag inventory had not been read yet when this report was written',
    );
    expect(screen.getByTestId('glidepath-report-flags')).not.toHaveTextContent(
      'No feature flags',
    );
    third.unmount();

    const past = fakeGlidepathApi({
      getDoraReport: async () => report({ ...section, staleFlags: null }),
    });
    await render(past, '/glidepath/analytics/reports/r1');
    expect(
      await screen.findByTestId('glidepath-report-flags'),
    ).toHaveTextContent(
      'This report was written after its week: the stale flags of the week were not recorded.',
    );
  });

  it('has no flags section in a report written without one', async () => {
    const api = fakeGlidepathApi({ getDoraReport: async () => report() });
    await render(api, '/glidepath/analytics/reports/r1');
    await screen.findByTestId('glidepath-weekly-report');
    expect(screen.queryByTestId('glidepath-report-flags')).toBeNull();
  });
});
