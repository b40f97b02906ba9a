import { screen, within } from '@testing-library/react';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makeDoraMeasures, makeDoraResponse } from '../../__testUtils__/dora';
import { renderForEntity, responseError } from '../../__testUtils__/render';
import { ReleaseHealthCard } from './ReleaseHealthCard';
import { ReleaseHealthContent } from './ReleaseHealthContent';

jest.setTimeout(20_000);

describe('ReleaseHealthContent', () => {
  it('shows the four measures with their levels, the trends and the failures with their cause', async () => {
    const api = fakeGlidepathApi({ getDora: async () => makeDoraResponse() });
    await renderForEntity(<ReleaseHealthContent />, { api });
    const tiles = await screen.findByTestId('glidepath-dora-tiles');
    expect(
      within(tiles).getByTestId('glidepath-dora-tile-leadTime'),
    ).toHaveTextContent(/5h.*elite.*10 with a first commit · p90 1d 6h/);
    expect(
      within(tiles).getByTestId('glidepath-dora-tile-changeFailureRate'),
    ).toHaveTextContent(/25%.*high.*3 of 12 failed/);
    expect(screen.getByTestId('glidepath-dora-trends')).toBeInTheDocument();
    const failures = screen.getByTestId('glidepath-dora-failures');
    expect(failures).toHaveTextContent('Incident after it (latest release)');
    expect(failures).toHaveTextContent('Checkout 5xx');
    expect(failures).toHaveTextContent('1h 30m');
    expect(screen.queryByTestId('glidepath-dora-simulated')).toBeNull();
    // "now" over four weeks, the trend over 26 weeks by week.
    const queries = api.getDora.mock.calls.map(([q]) => q);
    expect(queries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          entity: 'component:default/checkout-service',
        }),
        expect.objectContaining({ bucket: 'week' }),
      ]),
    );
  });

  it('labels simulated deployments and says when there is nothing yet', async () => {
    const api = fakeGlidepathApi({
      getDora: async () =>
        makeDoraResponse({
          summary: makeDoraMeasures({ deployments: 0 }),
          failures: [],
          simulatedDeployments: 3,
        }),
    });
    await renderForEntity(<ReleaseHealthContent />, { api });
    expect(
      await screen.findByTestId('glidepath-dora-simulated'),
    ).toHaveTextContent('Simulated: 3 of these deployments');
    expect(screen.getByTestId('glidepath-dora-empty')).toBeInTheDocument();
    expect(
      screen.getByText('No failed changes in this period.'),
    ).toBeInTheDocument();
  });

  it('shows the last four weeks when only this week has deployments (no complete week yet)', async () => {
    const api = fakeGlidepathApi({
      getDora: async query =>
        query.bucket
          ? makeDoraResponse({
              summary: makeDoraMeasures({ deployments: 0 }),
              failures: [],
            })
          : makeDoraResponse(),
    });
    await renderForEntity(<ReleaseHealthContent />, { api });
    expect(
      await screen.findByTestId('glidepath-dora-tile-changeFailureRate'),
    ).toHaveTextContent(/3 of 12 failed/);
    expect(screen.queryByTestId('glidepath-dora-empty')).toBeNull();
    expect(screen.queryByTestId('glidepath-dora-trends')).toBeNull();
    // The failed changes are the last four weeks', up to now.
    expect(screen.getByTestId('glidepath-dora-failures')).toHaveTextContent(
      'Checkout 5xx',
    );
  });

  it('shows the error when the measures cannot be read', async () => {
    const api = fakeGlidepathApi({
      getDora: async () => {
        throw await responseError(
          404,
          'Not Found',
          'NotFoundError',
          'No entity component:default/x',
        );
      },
    });
    await renderForEntity(<ReleaseHealthContent />, { api });
    expect(
      await screen.findByText(/No entity component:default\/x/),
    ).toBeInTheDocument();
  });
});

describe('ReleaseHealthCard', () => {
  it('shows the last four weeks and links to the tab', async () => {
    const api = fakeGlidepathApi({ getDora: async () => makeDoraResponse() });
    await renderForEntity(<ReleaseHealthCard />, { api });
    expect(
      await screen.findByTestId('glidepath-dora-tile-deploymentFrequency'),
    ).toHaveTextContent('3.0 / week');
    expect(
      screen.getByRole('link', { name: /Trends and failures/ }),
    ).toBeInTheDocument();
  });

  it('shows the latest failed change: a rollback of today', async () => {
    const rolledBackAt = new Date(Date.now() - 3 * 60_000).toISOString();
    const api = fakeGlidepathApi({
      getDora: async () =>
        makeDoraResponse({
          failures: [
            {
              deploymentId: 'release:r-2',
              entityRef: 'component:default/checkout-service',
              environment: 'production',
              version: '27.35.12',
              outcome: 'rolled_back',
              deployedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
              rule: 'rolled-back',
              failureStartedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
              restoredAt: rolledBackAt,
              incidents: [],
            },
            ...makeDoraResponse().failures,
          ],
        }),
    });
    await renderForEntity(<ReleaseHealthCard />, { api });
    expect(
      await screen.findByTestId('glidepath-release-health-latest-failure'),
    ).toHaveTextContent('Latest failure: 27.35.12, rolled back 3m ago');
  });

  it('says an incident was the latest failure, or that there was none', async () => {
    const api = fakeGlidepathApi({ getDora: async () => makeDoraResponse() });
    await renderForEntity(<ReleaseHealthCard />, { api });
    expect(
      await screen.findByTestId('glidepath-release-health-latest-failure'),
    ).toHaveTextContent(
      /Latest failure: 1\.5\.0, incident after it \(latest release\) .* ago \(Checkout 5xx\)/,
    );
  });

  it('says when there was no failed change', async () => {
    const api = fakeGlidepathApi({
      getDora: async () => makeDoraResponse({ failures: [] }),
    });
    await renderForEntity(<ReleaseHealthCard />, { api });
    expect(
      await screen.findByTestId('glidepath-release-health-latest-failure'),
    ).toHaveTextContent('No failed changes in the last four weeks.');
  });
});
