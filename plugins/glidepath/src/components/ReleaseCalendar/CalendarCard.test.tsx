import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import type {
  CalendarState,
  ErrorBudget,
  FreezeWindow,
  ReleaseFix,
  ReleaseTrain,
} from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { DENY, renderForEntity } from '../../__testUtils__/render';
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

const by = { kind: 'user' as const, ref: 'user:default/admin' };

const incident: FreezeWindow = {
  id: 'w1',
  title: 'Incident',
  effect: 'deny',
  scope: { kind: 'environment', name: 'production' },
  reason: 'INC-42 is open',
  timezone: 'Asia/Tokyo',
  start: '2026-12-01T00:00',
  end: '2026-12-31T00:00',
  createdBy: by,
  createdAt: '2026-12-01T00:00:00Z',
};

const train: ReleaseTrain = {
  id: 't1',
  title: 'Checkout train',
  scope: { kind: 'organisation' },
  timezone: 'Asia/Tokyo',
  start: '2026-01-06T10:00',
  rrule: 'FREQ=WEEKLY;BYDAY=TU',
  createdBy: by,
  createdAt: '2026-01-01T00:00:00Z',
  nextSlots: ['2026-12-08T01:00:00.000Z'],
};

const open = {
  closed: false,
  reason: null,
  windowId: null,
  nextOpen: null,
  nextClose: null,
  nextCloseReason: null,
};

describe('CalendarCard', () => {
  it("says each environment's freeze state and the next train, in the reader's and the window's timezone", async () => {
    const api = fakeGlidepathApi({
      getEntityCalendar: jest.fn(async () => ({
        entityRef: 'component:default/checkout-service',
        environments: [
          { name: 'staging', state: open },
          {
            name: 'production',
            state: {
              ...open,
              closed: true,
              reason: 'INC-42 is open',
              windowId: 'w1',
              nextOpen: '2026-12-30T15:00:00.000Z',
            },
          },
        ],
        trains: [
          {
            id: 't1',
            title: 'Checkout train',
            next: '2026-12-08T01:00:00.000Z',
          },
        ],
      })),
      listFreezeWindows: jest.fn(async () => ({ items: [incident] })),
      listReleaseTrains: jest.fn(async () => ({ items: [train] })),
    });
    await renderForEntity(<CalendarCard entity={checkoutService} />, { api });
    const production = await screen.findByTestId(
      'glidepath-calendar-production',
    );
    expect(
      within(production).getByText(
        'Frozen: INC-42 is open, opens Wed, Dec 30, 03:00 PM (Thu, Dec 31, 12:00 AM Asia/Tokyo)',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('glidepath-calendar-staging')).getByText(
        'Open; no freeze within 60 days',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Next train: Checkout train, Tue, Dec 8, 01:00 AM (10:00 AM Asia/Tokyo)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Times in your timezone, UTC')).toBeInTheDocument();
    expect(api.getEntityCalendar).toHaveBeenCalledWith({
      kind: 'component',
      namespace: 'default',
      name: 'checkout-service',
    });
  });

  const budget: ErrorBudget = {
    status: 'spent',
    sloPercent: 99.5,
    windowDays: 28,
    requests: 1_000_000,
    errors: 5_600,
    errorRatio: 0.0056,
    burnedPercent: 112,
    frozen: true,
    environments: ['production'],
    reason:
      'the error budget of its 99.5% SLO is spent: 112% of the 28-day budget burned (0.56% of requests failed, 0.5% allowed); only releases marked as fixes go out until it recovers',
    readAt: '2026-12-07T02:00:00.000Z',
  };

  function withBudget(
    errorBudget: ErrorBudget | undefined,
    production: CalendarState = open,
    fixes: ReleaseFix[] = [],
  ) {
    return fakeGlidepathApi({
      getEntityCalendar: jest.fn(async () => ({
        entityRef: 'component:default/checkout-service',
        environments: [
          { name: 'staging', state: open },
          { name: 'production', state: production },
        ],
        trains: [],
        ...(errorBudget && { errorBudget, fixes }),
      })),
      listFreezeWindows: jest.fn(async () => ({ items: [] })),
      listReleaseTrains: jest.fn(async () => ({ items: [] })),
    });
  }

  it('shows the burn of a spent error budget, production frozen except fixes, and the releases marked as fixes', async () => {
    const api = withBudget(
      budget,
      {
        ...open,
        closed: true,
        reason: 'The error budget of its 99.5% SLO is spent: ...',
      },
      [
        {
          releaseId: 'r1',
          entityRef: 'component:default/checkout-service',
          environment: 'production',
          version: '2.4.1',
          by: { kind: 'service' as const, ref: 'ci', displayName: 'CI' },
          reason: 'Fixes INC-7',
          at: '2026-12-07T02:01:00.000Z',
        },
      ],
    );
    await renderForEntity(<CalendarCard entity={checkoutService} />, { api });
    const section = await screen.findByTestId(
      'glidepath-calendar-error-budget',
    );
    expect(
      within(section).getByText(
        'Error budget: 112% of the 28-day budget spent (SLO 99.5%), frozen except fixes',
      ),
    ).toBeInTheDocument();
    const bar = within(section).getByRole('progressbar', {
      name: '112% of the error budget spent',
    });
    expect(bar).toHaveAttribute('aria-valuenow', '100');
    expect(
      within(section).getByText(
        '5,600 errors in 1,000,000 requests over 28 days, read Mon, Dec 7, 02:00 AM',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('glidepath-calendar-production')).getByText(
        'Frozen: error budget spent; only releases marked as fixes go out until it recovers',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('glidepath-calendar-staging')).getByText(
        'Open; no freeze within 60 days',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('glidepath-calendar-fix')).toHaveTextContent(
      'Marked as a fix: 2.4.1 in production, by CI: Fixes INC-7',
    );
  });

  it('lets someone who may steer the service mark the production release in flight as a fix, and shows the mark', async () => {
    const fix = {
      releaseId: 'rel-1',
      entityRef: 'component:default/checkout-service',
      environment: 'production',
      version: '1.5.0',
      by: {
        kind: 'user' as const,
        ref: 'user:default/ada',
        displayName: 'Ada',
      },
      reason: 'Fixes INC-7',
      at: '2026-12-07T02:01:00.000Z',
    };
    let fixes: ReleaseFix[] = [];
    const api = fakeGlidepathApi({
      getEntityCalendar: jest.fn(async () => ({
        entityRef: 'component:default/checkout-service',
        environments: [],
        trains: [],
        errorBudget: budget,
        fixes,
      })),
      listFreezeWindows: jest.fn(async () => ({ items: [] })),
      listReleaseTrains: jest.fn(async () => ({ items: [] })),
      markReleaseAsFix: jest.fn(async () => {
        fixes = [fix];
        return fix;
      }),
    });
    await renderForEntity(<CalendarCard entity={checkoutService} />, { api });
    const user = userEvent.setup();
    const button = await screen.findByRole('button', {
      name: 'Mark 1.5.0 as a fix',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await user.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Mark 1.5.0 in production as a fix');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Fixes INC-7',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Mark as fix' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.markReleaseAsFix).toHaveBeenCalledWith('rel-1', {
      reason: 'Fixes INC-7',
    });
    expect(
      await screen.findByTestId('glidepath-calendar-fix'),
    ).toHaveTextContent(
      'Marked as a fix: 1.5.0 in production, by Ada: Fixes INC-7',
    );
    // Marked: no button any more.
    expect(
      screen.queryByRole('button', { name: 'Mark 1.5.0 as a fix' }),
    ).toBeNull();
  });

  it('says who may mark a fix to someone who may not', async () => {
    // Another entity: usePermission keeps decisions per resource across tests.
    const orders = {
      ...checkoutService,
      metadata: { ...checkoutService.metadata, name: 'order-service' },
    };
    await renderForEntity(<CalendarCard entity={orders} />, {
      api: withBudget(budget),
      entity: orders,
      authorize: DENY,
    });
    const button = await screen.findByRole('button', {
      name: 'Mark 1.5.0 as a fix',
    });
    await waitFor(() =>
      expect(
        screen.getByText(
          "Only people who may steer this service's releases can mark a release as a fix.",
        ),
      ).toBeInTheDocument(),
    );
    expect(button).toBeDisabled();
  });

  it('offers no mark for a release that is not in flight', async () => {
    const api = withBudget(budget);
    api.getEntityReleaseSummary.mockImplementation(async () =>
      makeSummary({ current: makeRelease({ phase: 'succeeded' }) }),
    );
    await renderForEntity(<CalendarCard entity={checkoutService} />, { api });
    await screen.findByTestId('glidepath-calendar-error-budget');
    expect(api.getEntityReleaseSummary).toHaveBeenCalled();
    expect(screen.queryByTestId('glidepath-calendar-mark-fix')).toBeNull();
  });

  it('shows a budget within its SLO without freezing anything', async () => {
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: withBudget({
        ...budget,
        status: 'within',
        errors: 2_000,
        errorRatio: 0.002,
        burnedPercent: 40,
        frozen: false,
        reason: null,
      }),
    });
    expect(
      await screen.findByText(
        'Error budget: 40% of the 28-day budget spent (SLO 99.5%)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: '40% of the error budget spent',
      }),
    ).toHaveAttribute('aria-valuenow', '40');
    expect(screen.queryByTestId('glidepath-calendar-fix')).toBeNull();
  });

  it.each([
    [
      'unknown',
      {
        ...budget,
        status: 'unknown' as const,
        requests: null,
        errors: null,
        errorRatio: null,
        burnedPercent: null,
        frozen: false,
        reason: 'No data: no series for job="checkout"',
      },
      'Error budget unknown: No data: no series for job="checkout"; nothing is frozen for it',
    ],
    [
      'no SLO',
      {
        ...budget,
        status: 'no_slo' as const,
        sloPercent: null,
        requests: null,
        errors: null,
        errorRatio: null,
        burnedPercent: null,
        frozen: false,
        reason: 'no SLO',
        readAt: null,
      },
      'No error-budget policy: the service has no SLO (glidepath.dev/slo)',
    ],
  ])('says so when the budget is %s, with no bar', async (_, state, text) => {
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: withBudget(state),
    });
    expect(await screen.findByText(text)).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('shows no budget line when the backend sends none', async () => {
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: withBudget(undefined),
    });
    await screen.findByTestId('glidepath-calendar-production');
    expect(screen.queryByTestId('glidepath-calendar-error-budget')).toBeNull();
  });

  it('says when no train applies', async () => {
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: fakeGlidepathApi({
        listFreezeWindows: jest.fn(async () => ({ items: [] })),
        listReleaseTrains: jest.fn(async () => ({ items: [] })),
      }),
    });
    expect(
      await screen.findByText('No release train applies to this service.'),
    ).toBeInTheDocument();
  });

  it('shows why it could not load', async () => {
    await renderForEntity(<CalendarCard entity={checkoutService} />, {
      api: fakeGlidepathApi({
        getEntityCalendar: jest.fn(async () => {
          throw await ResponseError.fromResponse(
            new Response(
              JSON.stringify({
                error: { name: 'NotFoundError', message: 'No entity x' },
                request: { method: 'GET', url: '/x' },
                response: { statusCode: 404 },
              }),
              { status: 404, headers: { 'Content-Type': 'application/json' } },
            ) as any,
          );
        }),
        listFreezeWindows: jest.fn(async () => ({ items: [] })),
        listReleaseTrains: jest.fn(async () => ({ items: [] })),
      }),
    });
    expect(
      await screen.findByText(/Could not load the release calendar/),
    ).toBeInTheDocument();
  });
});
