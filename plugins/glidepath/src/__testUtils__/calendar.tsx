/** The Release calendar page with fakes, for its tests. */
import { identityApiRef } from '@backstage/core-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  FreezeWindow,
  ReleaseTrain,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../api';
import { ReleaseCalendarPage } from '../components/ReleaseCalendar';
import { fakeGlidepathApi } from './api';
import { DENY } from './render';

const by = { kind: 'user' as const, ref: 'user:default/admin' };

/** A local time in UTC, `days` from now at `hour`:00, as the API takes it. */
function utcDay(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().slice(0, 16);
}

export const incident: FreezeWindow = {
  id: 'w1',
  title: 'Incident freeze',
  effect: 'deny',
  scope: { kind: 'system', ref: 'system:default/shop' },
  reason: 'INC-42 is open',
  timezone: 'Asia/Tokyo',
  start: utcDay(2, 9),
  end: utcDay(3, 9),
  createdBy: by,
  createdAt: '2026-01-01T00:00:00Z',
};

export const train: ReleaseTrain = {
  id: 't1',
  title: 'Checkout train',
  scope: { kind: 'organisation' },
  timezone: 'UTC',
  start: '2026-01-05T10:00',
  rrule: 'FREQ=WEEKLY;BYDAY=MO',
  createdBy: by,
  createdAt: '2026-01-01T00:00:00Z',
  nextSlots: [],
};

export function renderCalendarPage(options: {
  windows?: FreezeWindow[];
  trains?: ReleaseTrain[];
  authorize?: typeof DENY;
  subscribable?: boolean;
}) {
  const api = fakeGlidepathApi({
    listFreezeWindows: jest.fn(async () => ({
      items: options.windows ?? [incident],
    })),
    listReleaseTrains: jest.fn(async () => ({
      items: options.trains ?? [train],
    })),
    getCalendarFeedLink: jest.fn(async ({ owner } = {}) => ({
      path: 'x',
      subscribable: options.subscribable ?? true,
      url: `http://backstage/api/glidepath/calendar/feed.ics?${
        owner ? `owner=${encodeURIComponent(owner)}&` : ''
      }token=t`,
    })),
  });
  const rendered = renderInTestApp(<ReleaseCalendarPage />, {
    apis: [
      [glidepathApiRef, api],
      mockApis.permission({ authorize: options.authorize ?? DENY }),
      [
        identityApiRef,
        mockApis.identity({
          userEntityRef: 'user:default/guest',
          ownershipEntityRefs: [
            'user:default/guest',
            'group:default/team-checkout',
          ],
        }),
      ],
    ] as any,
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  return { api, rendered };
}
