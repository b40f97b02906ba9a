import { screen, waitFor, within } from '@testing-library/react';
import {
  EntityReleaseSummary,
  releaseSignalChannel,
} from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import {
  makeDetail,
  makeRelease,
  makeSummary,
} from '../../__testUtils__/releases';
import { passingAnalyses } from '../../__testUtils__/analysis';
import {
  deferred,
  fakeSignals,
  renderForEntity,
  responseError,
} from '../../__testUtils__/render';
import { ReleasesContent } from './ReleasesContent';

const channel = releaseSignalChannel('component:default/checkout-service');

// Rendering material-table is slow on a busy machine.
jest.setTimeout(20_000);

describe('ReleasesContent', () => {
  it('shows progress while loading, then the current release', async () => {
    const summary = deferred<EntityReleaseSummary>();
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: () => summary.promise,
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();

    summary.resolve(makeSummary());
    expect(await screen.findByTestId('glidepath-version')).toHaveTextContent(
      '1.4.2 → 1.5.0',
    );
    expect(api.getEntityReleaseSummary).toHaveBeenCalledWith({
      kind: 'component',
      namespace: 'default',
      name: 'checkout-service',
    });
    expect(screen.getByTestId('glidepath-phase')).toHaveTextContent('Paused');
    // The current release's card and its row in the history.
    expect(screen.getAllByText('production · Canary')).toHaveLength(2);
    expect(screen.getAllByText('Ada').length).toBeGreaterThan(0);
    expect(screen.getByText('canary 25% · stable 75%')).toBeInTheDocument();
    expect(screen.getByTestId('glidepath-provider-message')).toHaveTextContent(
      'sandbox: Waiting for a promotion',
    );
    expect(screen.getByTestId('glidepath-step-2')).toHaveAttribute(
      'aria-current',
      'step',
    );
    expect(screen.getByTestId('glidepath-step-2')).toHaveTextContent(
      '3. Wait for a promotion',
    );
    expect(screen.getByTestId('glidepath-step-3')).not.toHaveAttribute(
      'aria-current',
    );
    expect(screen.queryByText('Simulated')).not.toBeInTheDocument();
  });

  it('shows the error when the summary cannot be loaded', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => {
        throw await responseError(
          503,
          'Service Unavailable',
          'ServiceUnavailableError',
          'glidepath is starting',
        );
      },
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(
      await screen.findByText(/Could not load the releases/),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('glidepath-actions')).not.toBeInTheDocument();
  });

  it('says so when no release has been observed yet', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({ current: null, recent: [], allowedActions: [] }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(
      await screen.findByText('No release observed yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "Releases appear here when the rollout provider 'sandbox' reports one for checkout-service.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('glidepath-actions')).not.toBeInTheDocument();
  });

  it('lists annotation problems and still shows the release', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({
          problems: [
            {
              annotation: 'glidepath.dev/strategy',
              value: 'canary:50,10',
              message: 'canary weights must increase; 10 follows 50',
            },
          ],
        }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const problems = await screen.findByTestId('glidepath-problems');
    expect(problems).toHaveTextContent(
      'glidepath.dev/strategy: canary:50,10 — canary weights must increase; 10 follows 50',
    );
    expect(
      screen.getByText(/A Glidepath annotation cannot be used/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('glidepath-version')).toHaveTextContent(
      '1.4.2 → 1.5.0',
    );
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeEnabled();
  });

  it('labels simulated releases', async () => {
    const summary = makeSummary();
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => ({
        ...summary,
        provider: { ...summary.provider!, simulated: true },
      }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(
      await screen.findByText(
        'Sandbox — simulated fleet, not a real deployment',
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Simulated').length).toBeGreaterThan(0);
  });

  it('warns when the provider is stale, and when it is not installed', async () => {
    const lastSyncedAt = '2025-03-01T10:05:00.000Z';
    const summary = makeSummary();
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => ({
        ...summary,
        provider: {
          ...summary.provider!,
          stale: true,
          lastSyncedAt,
          error: 'connect ECONNREFUSED 10.0.0.7:443',
        },
      }),
    });
    const { unmount } = await renderForEntity(<ReleasesContent />, { api });
    expect(
      await screen.findByText(
        `Showing the last known state from ${new Date(
          lastSyncedAt,
        ).toLocaleString()}; the provider reported: connect ECONNREFUSED 10.0.0.7:443`,
      ),
    ).toBeInTheDocument();
    unmount();

    api.getEntityReleaseSummary.mockResolvedValue(
      makeSummary({
        current: null,
        recent: [],
        allowedActions: [],
        provider: {
          id: 'argo-rollouts',
          registered: false,
          simulated: false,
          lastSyncedAt: null,
          stale: true,
          error: null,
        },
      }),
    );
    await renderForEntity(<ReleasesContent />, { api });
    expect(
      await screen.findByText(
        /No rollout provider 'argo-rollouts' is installed/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('No release observed yet')).toBeInTheDocument();
  });

  it('refreshes when a signal arrives on the entity channel', async () => {
    const signals = fakeSignals();
    const api = fakeGlidepathApi();
    await renderForEntity(<ReleasesContent />, { api, signals: signals.api });
    expect(await screen.findByTestId('glidepath-phase')).toHaveTextContent(
      'Paused',
    );
    expect(signals.channels()).toContain(channel);

    api.getEntityReleaseSummary.mockResolvedValue(
      makeSummary({
        current: makeRelease({ phase: 'progressing', canaryWeight: 50 }),
        allowedActions: ['promote', 'pause', 'abort', 'rollback'],
      }),
    );
    signals.publish(channel, {
      type: 'release-updated',
      entityRef: 'component:default/checkout-service',
      releaseId: 'rel-1',
    });
    await waitFor(() =>
      expect(screen.getByTestId('glidepath-phase')).toHaveTextContent(
        'Progressing',
      ),
    );
    expect(screen.getByText('canary 50% · stable 50%')).toBeInTheDocument();
  });

  it('does not re-read the summary for a new analysis, only the release detail', async () => {
    const signals = fakeSignals();
    const api = fakeGlidepathApi();
    await renderForEntity(<ReleasesContent />, { api, signals: signals.api });
    await screen.findByTestId('glidepath-phase');
    await waitFor(() => expect(api.getRelease).toHaveBeenCalled());
    const summaries = api.getEntityReleaseSummary.mock.calls.length;
    const details = api.getRelease.mock.calls.length;

    signals.publish(channel, {
      type: 'analysis-recorded',
      entityRef: 'component:default/checkout-service',
      releaseId: 'rel-1',
    });
    await waitFor(() =>
      expect(api.getRelease.mock.calls.length).toBeGreaterThan(details),
    );
    expect(api.getEntityReleaseSummary.mock.calls.length).toBe(summaries);
  });

  it('shows the canary analysis under the current release', async () => {
    const api = fakeGlidepathApi({
      getRelease: async () => makeDetail({ analyses: passingAnalyses }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const analysis = await screen.findByTestId('glidepath-analysis');
    expect(
      await within(analysis).findByTestId('glidepath-analysis-verdict'),
    ).toHaveTextContent('Pass');
    expect(api.getRelease).toHaveBeenCalledWith('rel-1');
    expect(
      screen
        .getByTestId('glidepath-version')
        .compareDocumentPosition(analysis) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('shows no analysis when there is no current release', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({ current: null, recent: [], allowedActions: [] }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    await screen.findByText('No release observed yet');
    expect(screen.queryByTestId('glidepath-analysis')).not.toBeInTheDocument();
    expect(api.getRelease).not.toHaveBeenCalled();
  });
});
