import { screen, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import type {
  FreezeWindow,
  ReleaseTrain,
} from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { renderForEntity } from '../../__testUtils__/render';
import { checkoutService } from '../../__testUtils__/releases';
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
