import { screen } from '@testing-library/react';
import type { EntityReleaseSummary } from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makeRelease, makeSummary } from '../../__testUtils__/releases';
import { deferred, renderForEntity } from '../../__testUtils__/render';
import { ReleaseCard } from './ReleaseCard';

// Rendering on a busy machine can take a few seconds.
jest.setTimeout(20_000);

describe('ReleaseCard', () => {
  it('shows the current release, its traffic, and links to the Releases tab', async () => {
    const summary = deferred<EntityReleaseSummary>();
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: () => summary.promise,
    });
    await renderForEntity(<ReleaseCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();

    summary.resolve(
      makeSummary({
        current: makeRelease({
          phase: 'progressing',
          strategy: 'blue_green',
          canaryWeight: 40,
          simulated: true,
        }),
        problems: [
          { annotation: 'glidepath.dev/strategy', value: 'x', message: 'bad' },
          { annotation: 'glidepath.dev/slo', value: 'y', message: 'bad' },
        ],
      }),
    );
    expect(
      await screen.findByTestId('glidepath-card-version'),
    ).toHaveTextContent('1.4.2 → 1.5.0');
    expect(screen.getByText('Progressing')).toBeInTheDocument();
    expect(screen.getByText('preview 40% · active 60%')).toBeInTheDocument();
    expect(screen.getByText('Simulated')).toBeInTheDocument();
    expect(screen.getByTestId('glidepath-card-problems')).toHaveTextContent(
      '2 annotation problems; see the Releases tab.',
    );
    expect(screen.getByRole('link', { name: /View releases/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-service/releases',
    );
  });

  it("says every environment's state in a line when there are several", async () => {
    const staging = makeRelease({
      id: 'rel-staging',
      environment: 'staging',
      version: '2.4.0',
      previousVersion: '2.3.1',
      phase: 'succeeded',
    });
    const production = makeRelease({
      version: '2.4.0',
      previousVersion: '2.3.1',
      phase: 'progressing',
      canaryWeight: 25,
    });
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({
          current: production,
          environments: [
            {
              name: 'staging',
              production: false,
              provider: 'sandbox',
              ref: 'cart-staging',
              current: staging,
            },
            {
              name: 'production',
              production: true,
              provider: 'sandbox',
              ref: 'cart-service',
              current: production,
            },
          ],
        }),
    });
    await renderForEntity(<ReleaseCard />, { api });
    expect(
      await screen.findByTestId('glidepath-card-environments'),
    ).toHaveTextContent(
      'staging runs 2.4.0; production 2.3.1 → 2.4.0, canary at 25%',
    );
    expect(screen.getByTestId('glidepath-card-version')).toHaveTextContent(
      '2.3.1 → 2.4.0',
    );
  });

  it('has no environments line for a single environment', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => makeSummary(),
    });
    await renderForEntity(<ReleaseCard />, { api });
    await screen.findByTestId('glidepath-card-version');
    expect(
      screen.queryByTestId('glidepath-card-environments'),
    ).not.toBeInTheDocument();
  });

  it('says when no release has been observed yet', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({ current: null, recent: [], allowedActions: [] }),
    });
    await renderForEntity(<ReleaseCard />, { api });
    expect(
      await screen.findByText('No release observed yet.'),
    ).toBeInTheDocument();
  });

  it('shows the error when the summary cannot be loaded', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => {
        throw new Error('glidepath is down');
      },
    });
    await renderForEntity(<ReleaseCard />, { api });
    expect(
      await screen.findByText(/Could not load the release/),
    ).toBeInTheDocument();
  });
});
