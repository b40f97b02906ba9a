import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Release } from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makeRelease, makeSummary } from '../../__testUtils__/releases';
import { renderForEntity } from '../../__testUtils__/render';
import { ReleasesContent } from '../ReleasesContent';

// Rendering material-table is slow on a busy machine.
jest.setTimeout(20_000);

const stagingRelease = makeRelease({
  id: 'rel-staging',
  environment: 'staging',
  version: '2.4.0',
  previousVersion: '2.3.1',
  phase: 'succeeded',
  canaryWeight: 100,
  providerRef: 'cart-staging@2.4.0',
  startedAt: '2025-03-01T09:58:00.000Z',
  finishedAt: '2025-03-01T10:00:00.000Z',
});
const productionRelease = makeRelease({
  id: 'rel-production',
  environment: 'production',
  version: '2.4.0',
  previousVersion: '2.3.1',
  phase: 'progressing',
  canaryWeight: 25,
  providerRef: 'cart-service@2.4.0',
});

function stagedSummary(extra: Partial<Release> = {}) {
  const production = { ...productionRelease, ...extra };
  return makeSummary({
    current: production,
    recent: [production, stagingRelease],
    environments: [
      {
        name: 'staging',
        production: false,
        provider: 'sandbox',
        ref: 'cart-staging',
        current: stagingRelease,
      },
      {
        name: 'production',
        production: true,
        provider: 'sandbox',
        ref: 'cart-service',
        current: production,
      },
    ],
  });
}

describe('environments on the Releases tab', () => {
  it("shows each environment's current release in promotion order", async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => stagedSummary(),
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(
      await screen.findByTestId('glidepath-environments-sentence'),
    ).toHaveTextContent(
      'staging runs 2.4.0; production 2.3.1 → 2.4.0, canary at 25%',
    );
    const boxes = within(screen.getByTestId('glidepath-environments'))
      .getAllByRole('heading', { level: 3 })
      .map(h => h.textContent);
    expect(boxes).toEqual(['staging', 'production']);
    const staging = screen.getByTestId('glidepath-environment-staging');
    expect(within(staging).getByText('runs 2.4.0')).toBeInTheDocument();
    expect(within(staging).getByText('Succeeded')).toBeInTheDocument();
    expect(
      within(staging).getByText('sandbox: cart-staging'),
    ).toBeInTheDocument();
    expect(within(staging).queryByText('Production')).not.toBeInTheDocument();
    const production = screen.getByTestId('glidepath-environment-production');
    expect(
      within(production).getByText('2.3.1 → 2.4.0, canary at 25%'),
    ).toBeInTheDocument();
    // Its name says it is production.
    expect(
      within(production).queryByText('Production'),
    ).not.toBeInTheDocument();
    // The current release card is production's, with its controls.
    expect(screen.getByTestId('glidepath-version')).toHaveTextContent(
      '2.3.1 → 2.4.0',
    );
  });

  it("filters the history to one environment and loads that environment's pages", async () => {
    const olderStaging = makeRelease({
      id: 'rel-staging-old',
      environment: 'staging',
      version: '2.3.1',
      previousVersion: '2.3.0',
      phase: 'succeeded',
      providerRef: 'cart-staging@2.3.1',
      startedAt: '2025-02-28T09:58:00.000Z',
      finishedAt: '2025-02-28T10:00:00.000Z',
    });
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => stagedSummary(),
      listEntityReleases: async () => ({
        items: [stagingRelease, olderStaging],
        nextCursor: null,
      }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const user = userEvent.setup();
    const production = await screen.findByTestId(
      'glidepath-environment-production',
    );
    expect(screen.getByText('Release history')).toBeInTheDocument();
    const historyRows = () =>
      screen
        .getAllByRole('row')
        .map(row => row.textContent ?? '')
        .filter(text => /·/.test(text));
    expect(historyRows()).toHaveLength(2);

    await user.click(
      within(screen.getByTestId('glidepath-environment-staging')).getByRole(
        'button',
        { name: 'Show the release history of staging' },
      ),
    );
    expect(
      await screen.findByText('Release history: staging'),
    ).toBeInTheDocument();
    expect(historyRows()).toEqual([
      expect.stringContaining('staging · Canary'),
    ]);

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('2.3.0 → 2.3.1')).toBeInTheDocument();
    expect(api.listEntityReleases).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'checkout-service' },
      { limit: 21, environment: 'staging' },
    );
    expect(production).toBeInTheDocument();
  });

  it('marks a production environment whose name does not say so', async () => {
    const summary = stagedSummary();
    summary.environments = summary.environments.map(e =>
      e.production ? { ...e, name: 'live' } : e,
    );
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => summary,
    });
    await renderForEntity(<ReleasesContent />, { api });
    const live = await screen.findByTestId('glidepath-environment-live');
    expect(within(live).getByText('Production')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('glidepath-environment-staging')).queryByText(
        'Production',
      ),
    ).not.toBeInTheDocument();
  });

  it('leaves a single-environment entity as it was: no environments card, no filter', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => makeSummary(),
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(await screen.findByTestId('glidepath-version')).toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-environments'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-history-environment'),
    ).not.toBeInTheDocument();
  });
});
