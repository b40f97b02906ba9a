import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import {
  EntityReleaseSummary,
  releaseSignalChannel,
} from '@glidepath/backstage-plugin-common';
import {
  checkoutService,
  fakeGlidepathApi,
  makeAction,
  makeDetail,
  makeRelease,
  makeSummary,
  passingAnalyses,
  policyRollbackAction,
  ROLLBACK_REASON,
  rollbackAnalyses,
} from '../../__testUtils__/fixtures';
import {
  ALLOW,
  deferred,
  DENY,
  fakeSignals,
  renderForEntity,
  responseError,
} from '../../__testUtils__/render';
import { ReleasesContent } from './ReleasesContent';

const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const channel = releaseSignalChannel('component:default/checkout-service');

function actionButtons() {
  return within(screen.getByRole('group', { name: 'Release actions' }))
    .getAllByRole('button')
    .map(button => button.textContent);
}

async function openDialog(name: string) {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name }));
  const dialog = await screen.findByRole('dialog');
  return { user, dialog };
}

// Rendering material-table and typing into MUI fields is slow on a busy
// machine; the polling tests also wait out a one-second interval.
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
    expect(screen.getByText('production · Canary')).toBeInTheDocument();
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

  it('offers a button for each action the phase admits, in order', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({ allowedActions: ['rollback', 'abort', 'promote'] }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    await screen.findByRole('group', { name: 'Release actions' });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Roll back' })).toBeEnabled(),
    );
    expect(actionButtons()).toEqual(['Promote', 'Abort', 'Roll back']);
    expect(
      screen.queryByRole('button', { name: 'Pause' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('disables an action the user may not take, and says who may', async () => {
    // Another entity than the other tests, so that no cached permission
    // decision is reused.
    const paymentsGateway: Entity = {
      ...checkoutService,
      metadata: { ...checkoutService.metadata, name: 'payments-gateway' },
      spec: { ...checkoutService.spec, owner: 'group:default/team-payments' },
    };
    const api = fakeGlidepathApi();
    await renderForEntity(<ReleasesContent />, {
      api,
      entity: paymentsGateway,
      authorize: request =>
        request.permission.name === 'glidepath.release.rollback' ? DENY : ALLOW,
    });
    const reason =
      'You cannot roll back this service: only its owners (group:default/team-payments) and release admins can';
    expect(await screen.findByText(reason)).toBeInTheDocument();
    const rollback = screen.getByRole('button', { name: 'Roll back' });
    expect(rollback).toBeDisabled();
    expect(rollback).toHaveAccessibleDescription(reason);
    expect(screen.getByRole('button', { name: 'Promote' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Abort' })).toBeEnabled();
  });

  it('warns in the rollback dialog about the requirements the rollback breaks', async () => {
    const api = fakeGlidepathApi({
      checkProposedChanges: async () => ({
        broken: [
          {
            from: 'component:default/storefront',
            to: 'component:default/checkout-service',
            range: '>=1.5.0',
            text: 'checkout-service@>=1.5.0',
            proposedVersion: '1.4.2',
            currentVersion: '1.4.2',
            environment: 'production',
            alreadyBroken: false,
            message: 'storefront requires checkout-service@>=1.5.0',
          },
          {
            from: 'component:default/mobile-bff',
            to: 'component:default/checkout-service',
            range: '^2',
            text: 'checkout-service@^2',
            proposedVersion: '1.4.2',
            currentVersion: '1.4.2',
            environment: 'production',
            alreadyBroken: true,
            message: 'mobile-bff requires checkout-service@^2',
          },
        ],
        unknown: [],
        releaseOrder: { layers: [], cycles: [] },
        blastRadius: ['component:default/storefront'],
        missing: [],
      }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Roll back' })).toBeEnabled(),
    );
    const { dialog } = await openDialog('Roll back');
    expect(
      await within(dialog).findByTestId('glidepath-rollback-breaks'),
    ).toHaveTextContent(
      'Rolling back checkout-service to 1.4.2 breaks a requirementstorefront requires checkout-service@>=1.5.0 in production' +
        '1.4.2 does not satisfy a requirement that is already brokenmobile-bff requires checkout-service@^2 in production',
    );
    expect(api.checkProposedChanges).toHaveBeenCalledWith([
      {
        entityRef: 'component:default/checkout-service',
        version: '1.4.2',
        environment: 'production',
      },
    ]);
  });

  it('confirms with a reason, sends the action once, and follows it to its failure', async () => {
    const signals = fakeSignals();
    const created = deferred<ReturnType<typeof makeAction>>();
    const api = fakeGlidepathApi({
      createReleaseAction: () => created.promise,
      getReleaseAction: async () => makeAction({ state: 'running' }),
    });
    await renderForEntity(<ReleasesContent />, { api, signals: signals.api });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Roll back' })).toBeEnabled(),
    );
    const { user, dialog } = await openDialog('Roll back');

    expect(
      within(dialog).getByRole('heading', {
        name: 'Roll back checkout-service?',
      }),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByTestId('glidepath-action-consequence'),
    ).toHaveTextContent(
      'All traffic returns to 1.4.2 and 1.5.0 is taken out of service. The release becomes rolled back.',
    );
    const confirm = within(dialog).getByRole('button', { name: 'Confirm' });
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    expect(confirm).toBeDisabled();
    await user.type(reason, '   ');
    expect(confirm).toBeDisabled();
    await user.type(reason, 'error rate doubled');
    expect(confirm).toBeEnabled();

    await user.dblClick(confirm);
    expect(api.createReleaseAction).toHaveBeenCalledTimes(1);
    expect(api.createReleaseAction).toHaveBeenCalledWith(
      'rel-1',
      { action: 'rollback', reason: 'error rate doubled' },
      { idempotencyKey: expect.stringMatching(UUID) },
    );
    expect(confirm).toBeDisabled();
    expect(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    ).toBeDisabled();

    created.resolve(makeAction({ state: 'requested' }));
    expect(
      await within(dialog).findByText(
        'Roll back requested; waiting for Glidepath to act.',
      ),
    ).toBeInTheDocument();

    // Polled every second while it runs.
    expect(
      await within(dialog).findByText(
        'Roll back running; the provider is carrying it out.',
        undefined,
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();

    // A signal for the action makes it read again at once.
    const summaryCalls = api.getEntityReleaseSummary.mock.calls.length;
    api.getReleaseAction.mockResolvedValue(
      makeAction({
        state: 'failed',
        error: 'sandbox: the fleet did not answer within 30s',
      }),
    );
    signals.publish(channel, {
      type: 'action-updated',
      entityRef: 'component:default/checkout-service',
      releaseId: 'rel-1',
      actionId: 'act-1',
    });
    expect(
      await within(dialog).findByText(
        'Roll back failed: sandbox: the fleet did not answer within 30s',
      ),
    ).toBeInTheDocument();
    // The summary is read again once the action has finished.
    await waitFor(() =>
      expect(api.getEntityReleaseSummary.mock.calls.length).toBeGreaterThan(
        summaryCalls,
      ),
    );
    expect(api.createReleaseAction).toHaveBeenCalledTimes(1);

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it("shows the server's reason when the action is refused", async () => {
    const api = fakeGlidepathApi({
      createReleaseAction: async () => {
        throw await responseError(
          409,
          'Conflict',
          'ConflictError',
          'release rel-1 is progressing, not paused',
        );
      },
    });
    await renderForEntity(<ReleasesContent />, { api });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Promote' })).toBeEnabled(),
    );
    const { user, dialog } = await openDialog('Promote');
    expect(
      within(dialog).getByTestId('glidepath-action-consequence'),
    ).toHaveTextContent(
      'The rollout moves on to its next step: Send 50% of traffic to 1.5.0.',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'metrics look good',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(
      await within(dialog).findByText(
        'Conflict: release rel-1 is progressing, not paused',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Confirm' }),
    ).toBeEnabled();
  });

  it('reuses the Idempotency-Key when a submission is retried after a network error', async () => {
    const api = fakeGlidepathApi({
      getReleaseAction: async () =>
        makeAction({ action: 'abort', state: 'succeeded' }),
    });
    api.createReleaseAction
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(makeAction({ action: 'abort', state: 'running' }));
    await renderForEntity(<ReleasesContent />, { api });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Abort' })).toBeEnabled(),
    );
    const { user, dialog } = await openDialog('Abort');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'bad canary',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(
      await within(dialog).findByText(
        /Could not reach Glidepath \(Failed to fetch\)/,
      ),
    ).toBeInTheDocument();

    // Once aborted, the release admits no action here; the dialog stays to
    // show the result.
    api.getEntityReleaseSummary.mockResolvedValue(
      makeSummary({
        current: makeRelease({ phase: 'aborted', canaryWeight: 0 }),
        allowedActions: [],
      }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(
      await within(dialog).findByText('Abort succeeded.', undefined, {
        timeout: 3000,
      }),
    ).toBeInTheDocument();
    expect(api.createReleaseAction).toHaveBeenCalledTimes(2);
    const [first, second] = api.createReleaseAction.mock.calls;
    expect(second[2].idempotencyKey).toBe(first[2].idempotencyKey);
    await waitFor(() =>
      expect(screen.getByTestId('glidepath-phase')).toHaveTextContent(
        'Aborted',
      ),
    );
    expect(within(dialog).getByText('Abort succeeded.')).toBeInTheDocument();
  });

  it('shows the audit trail and loads older releases on demand', async () => {
    const older = makeRelease({
      id: 'rel-0',
      version: '1.4.2',
      previousVersion: '1.4.1',
      phase: 'succeeded',
      finishedAt: '2025-02-20T10:30:00.000Z',
      startedAt: '2025-02-20T10:00:00.000Z',
    });
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({
          recentActions: [
            makeAction({
              action: 'pause',
              state: 'failed',
              reason: 'hold for the freeze',
              error: 'sandbox refused',
            }),
          ],
        }),
      listEntityReleases: async () => ({
        items: [makeRelease(), older],
        nextCursor: null,
      }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(await screen.findByText('hold for the freeze')).toBeInTheDocument();
    expect(screen.getByText('Guest')).toBeInTheDocument();
    expect(screen.getByText('sandbox refused')).toBeInTheDocument();

    const user = userEvent.setup();
    expect(screen.queryByText('1.4.1 → 1.4.2')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('1.4.1 → 1.4.2')).toBeInTheDocument();
    expect(screen.getByText('30m')).toBeInTheDocument();
    expect(screen.getByText('No older releases.')).toBeInTheDocument();
    expect(api.listEntityReleases).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'checkout-service' },
      { limit: 21 },
    );
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

  it("opens a past release's changes and why it was rolled back", async () => {
    const rolledBack = makeRelease({
      id: 'rel-0',
      version: '1.4.3',
      previousVersion: '1.4.2',
      phase: 'rolled_back',
      canaryWeight: 0,
      finishedAt: '2025-02-28T10:05:00.000Z',
      startedAt: '2025-02-28T10:00:00.000Z',
    });
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({ recent: [makeRelease(), rolledBack] }),
      getRelease: async id =>
        id === 'rel-0'
          ? makeDetail({
              release: rolledBack,
              analyses: rollbackAnalyses.map(a => ({
                ...a,
                releaseId: 'rel-0',
              })),
              actions: [{ ...policyRollbackAction, releaseId: 'rel-0' }],
              events: [
                {
                  id: 'ev-1',
                  releaseId: 'rel-0',
                  type: 'phase_changed',
                  fromPhase: 'progressing',
                  toPhase: 'rolled_back',
                  stepIndex: null,
                  canaryWeight: 0,
                  message: null,
                  occurredAt: '2025-02-28T10:04:09.000Z',
                },
              ],
            })
          : makeDetail(),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const row = (await screen.findByText('1.4.2 → 1.4.3')).closest('tr')!;
    const user = userEvent.setup();
    await user.click(within(row).getByRole('button'));

    const details = await screen.findByTestId(
      'glidepath-release-details-rel-0',
    );
    expect(
      await within(details).findByText(
        'progressing → rolled back · traffic 0%',
      ),
    ).toBeInTheDocument();
    expect(
      within(details).getByTestId('glidepath-analysis-reason'),
    ).toHaveTextContent(ROLLBACK_REASON);
    expect(
      within(details).getByTestId('glidepath-analysis-evidence'),
    ).toHaveTextContent('29 of 412 requests failed');
    expect(api.getRelease).toHaveBeenCalledWith('rel-0');
  });
});
