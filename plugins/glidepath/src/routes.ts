import { createRouteRef } from '@backstage/core-plugin-api';

/** The Dependencies page of the portal (`/glidepath/dependencies`). @public */
export const dependencyGraphRouteRef = createRouteRef({
  id: 'glidepath-dependencies',
});

/** The Release analytics page of the portal (`/glidepath/analytics`). @public */
export const analyticsRouteRef = createRouteRef({
  id: 'glidepath-analytics',
});

/** The Feature flags page of the portal (`/glidepath/flags`). @public */
export const flagsRouteRef = createRouteRef({
  id: 'glidepath-flags',
});

/** The Game days page of the portal (`/glidepath/game-days`). @public */
export const gameDaysRouteRef = createRouteRef({
  id: 'glidepath-game-days',
});

/** The Release calendar page of the portal (`/glidepath/calendar`). @public */
export const calendarRouteRef = createRouteRef({
  id: 'glidepath-calendar',
});

/**
 * The Releases page of the portal (`/glidepath/releases`): releases in
 * flight, release plans and the calendar. @public
 */
export const releasesRouteRef = createRouteRef({
  id: 'glidepath-releases',
});

/** A release plan's page (`/glidepath/plans/:planId`). @public */
export const planRouteRef = createRouteRef({
  id: 'glidepath-plan',
  params: ['planId'],
});
