import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { releaseSignalChannel } from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import {
  makeAction,
  makeRelease,
  makeSummary,
} from '../../__testUtils__/releases';
import {
  deferred,
  fakeSignals,
  renderForEntity,
  responseError,
} from '../../__testUtils__/render';
import { ReleasesContent } from '../ReleasesContent';

const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const channel = releaseSignalChannel('component:default/checkout-service');

async function openDialog(name: string) {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name }));
  const dialog = await screen.findByRole('dialog');
  return { user, dialog };
}

// Rendering material-table and typing into MUI fields is slow on a busy
// machine; the polling tests also wait out a one-second interval.
jest.setTimeout(20_000);

describe('the action dialog on the Releases tab', () => {
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
});
