import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  CalendarState,
  EntityCalendar,
  Release,
  ReleaseFreezeOverride,
} from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import {
  ALLOW,
  DENY,
  renderForEntity,
  responseError,
} from '../../__testUtils__/render';
import {
  checkoutService,
  makeRelease,
  makeSummary,
} from '../../__testUtils__/releases';
import { CalendarCard } from './CalendarCard';

// The reader is in UTC, wherever the tests run.
jest.mock('../../lib/calendar', () => ({
  ...jest.requireActual('../../lib/calendar'),
  viewerTimeZone: () => 'UTC',
}));

const open: CalendarState = {
  closed: false,
  reason: null,
  windowId: null,
  nextOpen: null,
  nextClose: null,
  nextCloseReason: null,
};

const frozen: CalendarState = {
  ...open,
  closed: true,
  reason: 'The orders database is being migrated',
  windowId: 'w1',
};

const override: ReleaseFreezeOverride = {
  releaseId: 'rel-1',
  version: '1.5.0',
  by: { kind: 'user', ref: 'user:default/ada', displayName: 'Ada' },
  reason: 'Migration is paused for this hotfix',
  windowId: 'w1',
  at: '2026-12-07T05:00:00.000Z',
};

/**
 * A service frozen in production with `release` there; the calendar the
 * API answers changes to `calendar()` as the test goes.
 */
function frozenService(
  release: Release = makeRelease(),
  production: CalendarState = frozen,
) {
  let productionOverride: ReleaseFreezeOverride | undefined;
  const api = fakeGlidepathApi({
    getEntityCalendar: jest.fn(
      async (): Promise<EntityCalendar> => ({
        entityRef: 'component:default/checkout-service',
        environments: [
          { name: 'staging', state: open },
          {
            name: 'production',
            state: production,
            ...(productionOverride && { override: productionOverride }),
          },
        ],
        trains: [],
      }),
    ),
    listFreezeWindows: jest.fn(async () => ({ items: [] })),
    listReleaseTrains: jest.fn(async () => ({ items: [] })),
    getEntityReleaseSummary: jest.fn(async () =>
      makeSummary({ current: release }),
    ),
  });
  return {
    api,
    overridden(value: ReleaseFreezeOverride) {
      productionOverride = value;
    },
  };
}

const onlyOverrideDenied = (request: { permission: { name: string } }) =>
  request.permission.name === 'glidepath.freeze.override' ? DENY : ALLOW;

describe('CalendarCard break-glass', () => {
  it('lets someone with glidepath.freeze.override release during a freeze with a reason, and shows the override', async () => {
    const service = frozenService();
    service.api.overrideFreeze.mockImplementation(async (_id, { reason }) => {
      service.overridden({ ...override, reason });
      return { ...override, reason };
    });
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: service.api,
    });
    const production = await screen.findByTestId(
      'glidepath-calendar-production',
    );
    const button = within(production).getByRole('button', {
      name: 'Release during freeze',
    });
    await waitFor(() => expect(button).toBeEnabled());
    // The staging environment is open: nothing to break there.
    expect(
      within(screen.getByTestId('glidepath-calendar-staging')).queryByRole(
        'button',
      ),
    ).toBeNull();

    const user = userEvent.setup();
    await user.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Release 1.5.0 during the production freeze',
    );
    expect(dialog).toHaveTextContent(
      '1.5.0 may then be promoted and resumed in production despite the freeze; other releases stay frozen. The override is recorded with your name and the reason, audited, and shown on this card.',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Migration is paused for this hotfix',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Release during freeze' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(service.api.overrideFreeze).toHaveBeenCalledWith('rel-1', {
      reason: 'Migration is paused for this hotfix',
    });
    expect(
      await screen.findByTestId('glidepath-calendar-override-production'),
    ).toHaveTextContent(
      'Freeze overridden for 1.5.0 by Ada: Migration is paused for this hotfix (Mon, Dec 7, 05:00 AM)',
    );
    // Broken once: no button any more, the freeze itself still said.
    expect(
      screen.queryByRole('button', { name: 'Release during freeze' }),
    ).toBeNull();
    expect(
      within(screen.getByTestId('glidepath-calendar-production')).getByText(
        /^Frozen: The orders database is being migrated/,
      ),
    ).toBeInTheDocument();
  });

  it('disables the button for someone without glidepath.freeze.override, saying why beside it', async () => {
    const service = frozenService();
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: service.api,
      authorize: onlyOverrideDenied as any,
    });
    const button = await screen.findByRole('button', {
      name: 'Release during freeze',
    });
    const why =
      'Only people allowed to break a freeze (glidepath.freeze.override) can let a release go on during it.';
    await waitFor(() => expect(screen.getByText(why)).toBeInTheDocument());
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(why);
    expect(service.api.overrideFreeze).not.toHaveBeenCalled();
  });

  it('says so when the permission cannot be checked', async () => {
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: frozenService().api,
      authorize: (() => {
        throw new Error('permission backend unreachable');
      }) as any,
    });
    expect(
      await screen.findByText(
        'Could not check whether you may break a freeze: permission backend unreachable',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Release during freeze' }),
    ).toBeDisabled();
  });

  it("shows the server's refusal in the dialog and no override", async () => {
    const service = frozenService();
    service.api.overrideFreeze.mockRejectedValue(
      await responseError(
        403,
        'Forbidden',
        'NotAllowedError',
        'You may not break a release freeze (glidepath.freeze.override)',
      ),
    );
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: service.api,
    });
    const button = await screen.findByRole('button', {
      name: 'Release during freeze',
    });
    await waitFor(() => expect(button).toBeEnabled());
    const user = userEvent.setup();
    await user.click(button);
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Hotfix',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Release during freeze' }),
    );
    expect(
      await within(dialog).findByText(
        /You may not break a release freeze \(glidepath\.freeze\.override\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-calendar-override-production'),
    ).toBeNull();
  });

  it.each([
    ['the environment is open', makeRelease(), open],
    [
      'the release there is not in flight',
      makeRelease({ phase: 'succeeded' }),
      frozen,
    ],
  ])('offers no break when %s', async (_, release, production) => {
    const service = frozenService(release, production);
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: service.api,
    });
    await screen.findByTestId('glidepath-calendar-production');
    expect(
      screen.queryByRole('button', { name: 'Release during freeze' }),
    ).toBeNull();
  });

  it('shows an override made before, without a button', async () => {
    const service = frozenService();
    service.overridden(override);
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: service.api,
    });
    expect(
      await screen.findByTestId('glidepath-calendar-override-production'),
    ).toHaveTextContent(
      'Freeze overridden for 1.5.0 by Ada: Migration is paused for this hotfix (Mon, Dec 7, 05:00 AM)',
    );
    expect(
      screen.queryByRole('button', { name: 'Release during freeze' }),
    ).toBeNull();
  });
});
