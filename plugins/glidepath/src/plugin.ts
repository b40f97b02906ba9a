import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { glidepathApiFactory } from './api';
import { ServicePicker } from './components/ServicePicker';
import { TrainPicker } from './components/TrainPicker';
import {
  analyticsRouteRef,
  dependencyGraphRouteRef,
  flagsRouteRef,
  gameDaysRouteRef,
  calendarRouteRef,
  planRouteRef,
  releasesRouteRef,
} from './routes';

/**
 * Glidepath for apps on the legacy frontend system.
 * @public
 */
export const glidepathPlugin = createPlugin({
  id: 'glidepath',
  apis: [glidepathApiFactory],
  routes: {
    dependencies: dependencyGraphRouteRef,
    analytics: analyticsRouteRef,
    flags: flagsRouteRef,
    gameDays: gameDaysRouteRef,
    calendar: calendarRouteRef,
    releases: releasesRouteRef,
    plan: planRouteRef,
  },
});

/**
 * The Releases tab of an entity page; mount it in an `EntityLayout.Route`
 * (path `/releases`) behind `isGlidepathAvailable`.
 * @public
 */
export const EntityGlidepathReleasesContent = glidepathPlugin.provide(
  createComponentExtension({
    name: 'EntityGlidepathReleasesContent',
    component: {
      lazy: () =>
        import('./components/ReleasesContent').then(m => m.ReleasesContent),
    },
  }),
);

/**
 * The Feature flags tab of an entity page; mount it in an
 * `EntityLayout.Route` (path `/feature-flags`) behind
 * `isGlidepathFlagsAvailable`.
 * @public
 */
export const EntityGlidepathFlagsContent = glidepathPlugin.provide(
  createComponentExtension({
    name: 'EntityGlidepathFlagsContent',
    component: {
      lazy: () => import('./components/FlagsContent').then(m => m.FlagsContent),
    },
  }),
);

/**
 * The release card for an entity's overview, linking to the Releases tab.
 * @public
 */
export const EntityGlidepathReleaseCard = glidepathPlugin.provide(
  createComponentExtension({
    name: 'EntityGlidepathReleaseCard',
    component: {
      lazy: () => import('./components/ReleaseCard').then(m => m.ReleaseCard),
    },
  }),
);

/**
 * The Dependencies tab of an entity page: the graph around the entity with
 * versions, rollout phases and version requirements. Mount it in an
 * `EntityLayout.Route` (path `/dependencies`) of components and resources.
 * @public
 */
export const EntityGlidepathDependenciesContent = glidepathPlugin.provide(
  createComponentExtension({
    name: 'EntityGlidepathDependenciesContent',
    component: {
      lazy: () =>
        import('./components/DependenciesContent').then(
          m => m.DependenciesContent,
        ),
    },
  }),
);

/**
 * The Dependencies page for a system, a team, a domain or the whole
 * catalog; mount it on a route, e.g. `/glidepath/dependencies`.
 * @public
 */
export const GlidepathDependencyGraphPage = glidepathPlugin.provide(
  createRoutableExtension({
    name: 'GlidepathDependencyGraphPage',
    mountPoint: dependencyGraphRouteRef,
    component: () =>
      import('./components/DependencyGraphPage').then(
        m => m.DependencyGraphPage,
      ),
  }),
);

/**
 * The Release health tab of a component or resource page: DORA measures,
 * their six-month trends and recent failed changes. Mount it in an
 * `EntityLayout.Route` (path `/release-health`).
 * @public
 */
export const EntityGlidepathReleaseHealthContent = glidepathPlugin.provide(
  createComponentExtension({
    name: 'EntityGlidepathReleaseHealthContent',
    component: {
      lazy: () =>
        import('./components/ReleaseHealth').then(m => m.ReleaseHealthContent),
    },
  }),
);

/**
 * The Release health card for a component's overview: the last four
 * weeks' DORA measures, linking to the tab.
 * @public
 */
export const EntityGlidepathReleaseHealthCard = glidepathPlugin.provide(
  createComponentExtension({
    name: 'EntityGlidepathReleaseHealthCard',
    component: {
      lazy: () =>
        import('./components/ReleaseHealth').then(m => m.ReleaseHealthCard),
    },
  }),
);

/**
 * The Release analytics page: the organisation's DORA measures, teams
 * ranked, a team's services and weekly reports; mount it on a route, e.g.
 * `/glidepath/analytics`.
 * @public
 */
export const GlidepathReleaseAnalyticsPage = glidepathPlugin.provide(
  createRoutableExtension({
    name: 'GlidepathReleaseAnalyticsPage',
    mountPoint: analyticsRouteRef,
    component: () =>
      import('./components/ReleaseAnalyticsPage').then(
        m => m.ReleaseAnalyticsPage,
      ),
  }),
);

/**
 * The Feature flags page: stale flags per team, their ages and flag debt
 * over six months; mount it on a route, e.g. `/glidepath/flags`.
 * @public
 */
export const GlidepathFlagsPage: () => JSX.Element = glidepathPlugin.provide(
  createRoutableExtension({
    name: 'GlidepathFlagsPage',
    mountPoint: flagsRouteRef,
    component: () => import('./components/FlagsPage').then(m => m.FlagsPage),
  }),
);

/**
 * The Game days page: upcoming and past game days with each fault's
 * timeline (injected, detected, rolled back, healthy, notified) and outcome,
 * and per team the drills of the last 90 days; mount it on a route, e.g.
 * `/glidepath/game-days`.
 * @public
 */
export const GlidepathGameDaysPage: () => JSX.Element = glidepathPlugin.provide(
  createRoutableExtension({
    name: 'GlidepathGameDaysPage',
    mountPoint: gameDaysRouteRef,
    component: () =>
      import('./components/GameDaysPage').then(m => m.GameDaysPage),
  }),
);

/**
 * The Release calendar page: freeze windows and release trains of the next
 * four weeks, the iCalendar feeds, and adding and deleting freeze windows
 * for those allowed; mount it on a route, e.g. `/glidepath/calendar`.
 * @public
 */
export const GlidepathReleaseCalendarPage: () => JSX.Element =
  glidepathPlugin.provide(
    createRoutableExtension({
      name: 'GlidepathReleaseCalendarPage',
      mountPoint: calendarRouteRef,
      component: () =>
        import('./components/ReleaseCalendar').then(m => m.ReleaseCalendarPage),
    }),
  );

/**
 * The Releases page: every release in flight across the company (filtered
 * by team, system and environment), the release plans, and a month and
 * week calendar of release trains and freezes per team; mount it on a
 * route, e.g. `/glidepath/releases`.
 * @public
 */
export const GlidepathReleasesPage: () => JSX.Element = glidepathPlugin.provide(
  createRoutableExtension({
    name: 'GlidepathReleasesPage',
    mountPoint: releasesRouteRef,
    component: () =>
      import('./components/ReleasesPage').then(m => m.ReleasesPage),
  }),
);

/**
 * A release plan's page: its waves live as columns, what it waits for, its
 * timeline and overrides, and pause, resume, abort and release during
 * freeze; mount it on the route `/glidepath/plans/:planId`.
 * @public
 */
export const GlidepathPlanPage: () => JSX.Element = glidepathPlugin.provide(
  createRoutableExtension({
    name: 'GlidepathPlanPage',
    mountPoint: planRouteRef,
    component: () => import('./components/PlanPage').then(m => m.PlanPage),
  }),
);

/**
 * The releases in flight across the company right now, with phase, traffic
 * and owner, each linked to its Releases tab: a card for a portal's home
 * page.
 * @public
 */
export const GlidepathReleasesInFlightCard: () => JSX.Element =
  glidepathPlugin.provide(
    createComponentExtension({
      name: 'GlidepathReleasesInFlightCard',
      component: {
        lazy: () =>
          import('./components/ReleasesInFlight').then(m => m.ReleasesInFlight),
      },
    }),
  );

/**
 * The scaffolder field `GlidepathServicePicker`: one entity, like
 * EntityPicker, listed sorted by title or name. Glidepath's templates use
 * it; add it inside `<ScaffolderFieldExtensions>` of the app's
 * `/create` route.
 * @public
 */
export const GlidepathServicePickerFieldExtension = glidepathPlugin.provide(
  createScaffolderFieldExtension({
    name: 'GlidepathServicePicker',
    component: ServicePicker,
  }),
);

/**
 * The scaffolder field `GlidepathTrainPicker`: one of the release trains on
 * Glidepath's calendar, with its scope and next slot; the value is its id.
 * The Coordinated release template uses it; add it inside
 * `<ScaffolderFieldExtensions>` of the app's `/create` route.
 * @public
 */
export const GlidepathTrainPickerFieldExtension = glidepathPlugin.provide(
  createScaffolderFieldExtension({
    name: 'GlidepathTrainPicker',
    component: TrainPicker,
  }),
);
