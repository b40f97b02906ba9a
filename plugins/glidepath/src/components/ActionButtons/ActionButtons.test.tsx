import { screen, waitFor, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { checklistGate } from '@glidepath/backstage-plugin-common';
import {
  checkoutService,
  makeRelease,
  makeSummary,
} from '../../__testUtils__/releases';
import { ALLOW, DENY, renderForEntity } from '../../__testUtils__/render';
import { ReleasesContent } from '../ReleasesContent';

function actionButtons() {
  return within(screen.getByRole('group', { name: 'Release actions' }))
    .getAllByRole('button')
    .map(button => button.textContent);
}

// Rendering material-table is slow on a busy machine.
jest.setTimeout(20_000);

describe('the release actions on the Releases tab', () => {
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
    // The owning team by its name in the catalog (here, without a catalog
    // presentation API, its entity name), linked to its page.
    const reason =
      'You cannot roll back this service: only its owners (team-payments) and release admins can';
    const refusal = await screen.findByTestId('glidepath-permission-refusal');
    expect(refusal).toHaveTextContent(reason);
    expect(within(refusal).getByRole('link')).toHaveAttribute(
      'href',
      expect.stringMatching(/group\/team-payments$/),
    );
    const rollback = screen.getByRole('button', { name: 'Roll back' });
    expect(rollback).toBeDisabled();
    expect(rollback).toHaveAccessibleDescription(reason);
    // No tooltip repeats the sentence over the button.
    expect(rollback.parentElement).not.toHaveAttribute('title');
    expect(screen.getByRole('button', { name: 'Promote' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Abort' })).toBeEnabled();
  });

  it('disables promote and resume while the release checklist holds the release, with the reason', async () => {
    const release = makeRelease({ phase: 'paused' });
    const atGate = {
      ...release,
      currentStepIndex: Math.max(0, release.steps.length - 2),
    };
    const items = [
      {
        id: 'i0',
        title: 'On-call aware',
        description: null,
        required: true,
        owner: null,
        checked: false,
        checkedBy: null,
        checkedAt: null,
        history: [],
      },
    ];
    const gate = checklistGate(items);
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({
          current: atGate,
          allowedActions: ['promote', 'resume', 'abort', 'rollback'],
          checklist: {
            id: 'c1',
            entityRef: 'component:default/checkout-service',
            releaseId: atGate.id,
            title: 'Checkout 2.5',
            createdBy: { kind: 'user', ref: 'user:default/alice' },
            createdAt: '2025-03-01T10:00:00.000Z',
            items,
            gate,
          },
        }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Roll back' })).toBeEnabled(),
    );
    for (const name of ['Promote', 'Resume']) {
      const button = screen.getByRole('button', { name });
      expect(button).toBeDisabled();
      expect(button).toHaveAccessibleDescription(gate.reason!);
    }
    expect(screen.getByRole('button', { name: 'Abort' })).toBeEnabled();
    expect(screen.getByTestId('glidepath-checklist-refusal')).toHaveTextContent(
      gate.reason!,
    );
  });
});
