import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { EntityFlags, Flag } from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { checkoutService } from '../../__testUtils__/releases';
import {
  DENY,
  renderForEntity,
  responseError,
} from '../../__testUtils__/render';
import { FlagsContent } from './FlagsContent';

jest.setTimeout(20_000);

const entity = {
  ...checkoutService,
  metadata: {
    ...checkoutService.metadata,
    annotations: { 'glidepath.dev/flags': 'sandbox:checkout-service' },
  },
};

function flag(name: string, patch: Partial<Flag> = {}): Flag {
  return {
    id: `id-${name}`,
    entityRef: 'component:default/checkout-service',
    provider: 'sandbox',
    simulated: true,
    key: `checkout-service/${name}`,
    name,
    project: 'checkout-service',
    description: null,
    type: 'release',
    temporary: null,
    createdAt: '2026-10-01T08:00:00.000Z',
    createdBy: 'ana.souza@example.com',
    ageDays: 61,
    owner: 'group:default/team-checkout',
    ownerSource: 'catalog',
    environments: [
      { environment: 'staging', enabled: true, servesEveryone: 'true' },
      { environment: 'production', enabled: false, servesEveryone: 'false' },
    ],
    lastEvaluatedAt: '2026-12-01T10:00:00.000Z',
    evaluationKnown: true,
    lifecycle: 'live',
    providerStale: false,
    tags: [],
    url: null,
    state: 'stale',
    stateReason: 'release flag, 61 days old, past its lifetime of 40 days',
    staleAt: '2026-11-10T08:00:00.000Z',
    keep: null,
    inventoryStale: false,
    readAt: '2026-12-01T11:50:00.000Z',
    ...patch,
  };
}

function entityFlags(patch: Partial<EntityFlags> = {}): EntityFlags {
  return {
    entityRef: 'component:default/checkout-service',
    flags: [
      flag('old-banner'),
      flag('payments-circuit-breaker', {
        type: 'kill-switch',
        state: 'permanent',
        stateReason: 'kill-switch flag: permanent by its type',
        ageDays: 300,
      }),
      flag('new-cart', {
        state: 'fresh',
        ageDays: 3,
        lastEvaluatedAt: null,
        evaluationKnown: true,
      }),
    ],
    sources: [
      {
        provider: 'sandbox',
        ref: 'checkout-service',
        simulated: true,
        canArchive: true,
        readAt: '2026-12-01T11:50:00.000Z',
        attemptedAt: '2026-12-01T11:50:00.000Z',
        error: null,
      },
    ],
    problems: [],
    actions: [],
    ...patch,
  };
}

const rows = () => screen.getAllByTestId('glidepath-flag-row');

describe('the Feature flags tab', () => {
  it('lists the flags with age, type, environments, last evaluation and state', async () => {
    const api = fakeGlidepathApi({ getEntityFlags: async () => entityFlags() });
    await renderForEntity(<FlagsContent />, { api, entity });
    await screen.findByTestId('glidepath-flags');
    expect(
      screen.getByText('3 flags: 1 stale, 1 fresh, 1 permanent'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('glidepath-simulated')).toBeInTheDocument();
    const [stale, killSwitch, fresh] = rows();
    expect(stale).toHaveTextContent('old-banner');
    expect(stale).toHaveTextContent('61 days');
    expect(stale).toHaveTextContent('staging on');
    expect(stale).toHaveTextContent('production off');
    expect(within(stale).getByTestId('glidepath-flag-state')).toHaveTextContent(
      'Stale',
    );
    expect(killSwitch).toHaveTextContent('kill switch');
    expect(
      within(killSwitch).getByTestId('glidepath-flag-state'),
    ).toHaveTextContent('Permanent');
    expect(fresh).toHaveTextContent('never');
    expect(within(fresh).getByTestId('glidepath-flag-state')).toHaveTextContent(
      'Fresh',
    );
    expect(api.getEntityFlags).toHaveBeenCalledWith({
      kind: 'component',
      namespace: 'default',
      name: 'checkout-service',
    });
  });

  it('keeps a flag with a reason until the chosen day, and shows the decision', async () => {
    let data = entityFlags();
    const keepFlag = jest.fn(async (_e: any, _id: string, request: any) => {
      const kept = flag('old-banner', {
        keep: {
          reason: request.reason,
          expiresAt: request.expiresAt,
          expired: false,
          decidedBy: {
            kind: 'user',
            ref: 'user:default/alice',
            displayName: 'Alice',
          },
          decidedAt: '2026-12-01T12:00:00.000Z',
        },
      });
      data = entityFlags({ flags: [kept, ...data.flags.slice(1)] });
      return kept;
    });
    const api = fakeGlidepathApi({
      getEntityFlags: async () => data,
      keepFlag,
    });
    await renderForEntity(<FlagsContent />, { api, entity });
    await screen.findByTestId('glidepath-flags');
    await userEvent.click(
      within(rows()[0]).getByRole('button', { name: 'Keep' }),
    );
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Keep flag' });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'Needed for the holiday rollback',
    );
    const until = within(dialog).getByLabelText(/Keep until/);
    await userEvent.clear(until);
    await userEvent.type(until, '2027-01-15');
    await userEvent.click(confirm);

    expect(keepFlag).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'checkout-service' },
      'id-old-banner',
      {
        reason: 'Needed for the holiday rollback',
        expiresAt: new Date(2027, 0, 15, 23, 59, 59).toISOString(),
      },
    );
    expect(
      await screen.findByText(/old-banner is kept until/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(rows()[0]).getByTestId('glidepath-flag-keep'),
      ).toHaveTextContent('Needed for the holiday rollback'),
    );
    expect(
      within(rows()[0]).getByTestId('glidepath-flag-keep'),
    ).toHaveTextContent('by Alice');
  });

  it("says why an archive failed, in the provider's words", async () => {
    const api = fakeGlidepathApi({
      getEntityFlags: async () => entityFlags(),
      archiveFlag: async () => {
        throw await responseError(
          409,
          'Conflict',
          'ConflictError',
          'old-banner was not archived: The sandbox refuses to archive old-banner: it is still on for 25% (gradual rollout) in production',
        );
      },
    });
    await renderForEntity(<FlagsContent />, { api, entity });
    await screen.findByTestId('glidepath-flags');
    await userEvent.click(
      within(rows()[0]).getByRole('button', { name: 'Archive' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Glidepath asks sandbox to archive old-banner in every environment',
    );
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'stale');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Archive flag' }),
    );
    expect(
      await within(dialog).findByText(
        /refuses to archive old-banner: it is still on for 25%/,
      ),
    ).toBeInTheDocument();
  });

  it('disables keep and archive, with the reason, for people who may not steer releases', async () => {
    const api = fakeGlidepathApi({ getEntityFlags: async () => entityFlags() });
    // Another entity: the permission framework's answers are kept per
    // resource for the whole test file.
    const other = {
      ...entity,
      metadata: { ...entity.metadata, name: 'payments-service' },
    };
    await renderForEntity(<FlagsContent />, {
      api,
      entity: other,
      authorize: DENY,
    });
    await screen.findByTestId('glidepath-flags');
    expect(
      await screen.findByText(
        "Only people who may steer this service's releases can keep or archive its flags.",
      ),
    ).toBeInTheDocument();
    expect(
      within(rows()[0]).getByRole('button', { name: 'Keep' }),
    ).toBeDisabled();
    expect(
      within(rows()[0]).getByRole('button', { name: 'Archive' }),
    ).toBeDisabled();
  });

  it("shows the last inventory with the source's error, and the annotation's problems", async () => {
    const api = fakeGlidepathApi({
      getEntityFlags: async () =>
        entityFlags({
          sources: [
            {
              ...entityFlags().sources[0],
              error: 'The flag provider "sandbox" failed: connect ECONNREFUSED',
            },
          ],
          problems: [
            {
              annotation: 'glidepath.dev/flags',
              value: 'nocolon',
              message: '"nocolon" has no ":"',
            },
          ],
        }),
    });
    await renderForEntity(<FlagsContent />, { api, entity });
    expect(
      await screen.findByText(
        /Could not read the flags of sandbox:checkout-service/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/connect ECONNREFUSED Showing the flags as last read/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('glidepath-problems')).toHaveTextContent(
      'nocolon',
    );
    expect(rows()).toHaveLength(3);
  });

  it('has an empty state and an error state', async () => {
    const empty = fakeGlidepathApi({
      getEntityFlags: async () => entityFlags({ flags: [] }),
    });
    const { unmount } = await renderForEntity(<FlagsContent />, {
      api: empty,
      entity,
    });
    expect(await screen.findByText('No feature flags')).toBeInTheDocument();
    unmount();

    const failing = fakeGlidepathApi({
      getEntityFlags: async () => {
        throw await responseError(
          404,
          'Not Found',
          'NotFoundError',
          'No entity component:default/checkout-service in the catalog',
        );
      },
    });
    await renderForEntity(<FlagsContent />, { api: failing, entity });
    expect(
      await screen.findByText(
        /No entity component:default\/checkout-service in the catalog/,
      ),
    ).toBeInTheDocument();
  });
});
