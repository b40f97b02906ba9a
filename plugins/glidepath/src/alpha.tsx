import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import FlagIcon from '@material-ui/icons/Flag';
import WhatshotIcon from '@material-ui/icons/Whatshot';
import EventIcon from '@material-ui/icons/Event';
import FlightTakeoffIcon from '@material-ui/icons/FlightTakeoff';
import TimelineIcon from '@material-ui/icons/Timeline';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import {
  isGlidepathAvailable,
  isGlidepathFlagsAvailable,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiExtension } from './api';
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
 * The Releases tab on entity pages (`entity-content:glidepath/releases`),
 * shown only for entities with the `glidepath.dev/rollout` annotation.
 * @alpha
 */
export const glidepathReleasesEntityContent = EntityContentBlueprint.make({
  name: 'releases',
  params: {
    path: '/releases',
    title: 'Releases',
    group: 'deployment',
    filter: isGlidepathAvailable,
    loader: () =>
      import('./components/ReleasesContent').then(m => <m.ReleasesContent />),
  },
});

/**
 * The Feature flags tab on entity pages (`entity-content:glidepath/flags`),
 * shown only for entities with the `glidepath.dev/flags` annotation: each
 * flag's age, type, environments, last evaluation and state, with keep and
 * archive.
 * @alpha
 */
export const glidepathFlagsEntityContent = EntityContentBlueprint.make({
  name: 'flags',
  params: {
    path: '/feature-flags',
    title: 'Feature flags',
    // No group: two tabs in one group become a "Deployment" menu, and the
    // Releases tab must stay one click away.
    filter: isGlidepathFlagsAvailable,
    loader: () =>
      import('./components/FlagsContent').then(m => <m.FlagsContent />),
  },
});

/**
 * The release card on the entity overview (`entity-card:glidepath/release`),
 * for the same entities: an info card, beside the About card at the top of
 * the page, where an owner looks first.
 * @alpha
 */
export const glidepathReleaseEntityCard = EntityCardBlueprint.make({
  name: 'release',
  params: {
    type: 'info',
    filter: isGlidepathAvailable,
    loader: () =>
      import('./components/ReleaseCard').then(m => <m.ReleaseCard />),
  },
});

/** Components and resources have dependencies worth drawing. */
function hasDependencies(entity: Entity): boolean {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  return kind === 'component' || kind === 'resource';
}

/**
 * The Dependencies tab on component and resource pages
 * (`entity-content:glidepath/dependencies`).
 * @alpha
 */
export const glidepathDependenciesEntityContent = EntityContentBlueprint.make({
  name: 'dependencies',
  params: {
    path: '/dependencies',
    title: 'Dependencies',
    filter: hasDependencies,
    loader: () =>
      import('./components/DependenciesContent').then(m => (
        <m.DependenciesContent />
      )),
  },
});

/**
 * The Dependencies page (`page:glidepath/dependencies`) at
 * `/glidepath/dependencies`: a system, a team, a domain or the whole catalog.
 * @alpha
 */
export const glidepathDependencyGraphPage = PageBlueprint.make({
  name: 'dependencies',
  params: {
    path: '/glidepath/dependencies',
    routeRef: dependencyGraphRouteRef,
    title: 'Dependencies',
    icon: <AccountTreeIcon />,
    loader: () =>
      import('./components/DependencyGraphPage').then(m => (
        <m.DependencyGraphPage />
      )),
  },
});

/**
 * The Release health tab on component and resource pages
 * (`entity-content:glidepath/release-health`): DORA measures, trends and
 * failed changes.
 * @alpha
 */
export const glidepathReleaseHealthEntityContent = EntityContentBlueprint.make({
  name: 'release-health',
  params: {
    path: '/release-health',
    title: 'Release health',
    filter: hasDependencies,
    loader: () =>
      import('./components/ReleaseHealth').then(m => (
        <m.ReleaseHealthContent />
      )),
  },
});

/**
 * The Release health card on component and resource overviews
 * (`entity-card:glidepath/release-health`): the last four weeks' DORA.
 * @alpha
 */
export const glidepathReleaseHealthEntityCard = EntityCardBlueprint.make({
  name: 'release-health',
  params: {
    filter: hasDependencies,
    loader: () =>
      import('./components/ReleaseHealth').then(m => <m.ReleaseHealthCard />),
  },
});

/**
 * The Release analytics page (`page:glidepath/analytics`) at
 * `/glidepath/analytics`: the organisation, teams ranked, a team's services
 * and weekly reports.
 * @alpha
 */
export const glidepathReleaseAnalyticsPage = PageBlueprint.make({
  name: 'analytics',
  params: {
    path: '/glidepath/analytics',
    routeRef: analyticsRouteRef,
    // The sidebar's label and the page's header (longer labels are cut in
    // the sidebar); the page's first line says "Release analytics".
    title: 'Analytics',
    icon: <TimelineIcon />,
    loader: () =>
      import('./components/ReleaseAnalyticsPage').then(m => (
        <m.ReleaseAnalyticsPage />
      )),
  },
});

/**
 * The scaffolder field `GlidepathServicePicker`
 * (`scaffolder-form-field:glidepath/service-picker`): one entity, like
 * EntityPicker, listed sorted by title or name. Glidepath's templates use it.
 * @alpha
 */
export const glidepathServicePickerFormField = FormFieldBlueprint.make({
  name: 'service-picker',
  params: {
    field: () =>
      import('./components/ServicePicker').then(m =>
        createFormField({
          name: 'GlidepathServicePicker',
          component: m.ServicePicker,
        }),
      ),
  },
});

/**
 * The scaffolder field `GlidepathTrainPicker`
 * (`scaffolder-form-field:glidepath/train-picker`): one of the release trains
 * on Glidepath's calendar, with its scope and next slot; the value is its id.
 * The Coordinated release template uses it.
 * @alpha
 */
export const glidepathTrainPickerFormField = FormFieldBlueprint.make({
  name: 'train-picker',
  params: {
    field: () =>
      import('./components/TrainPicker').then(m =>
        createFormField({
          name: 'GlidepathTrainPicker',
          component: m.TrainPicker,
        }),
      ),
  },
});

/**
 * The releases in flight across the company right now, with phase, traffic
 * and owner, each linked to its Releases tab: a card for the app's home
 * page (the API it reads is installed with the plugin).
 * @alpha
 */
export { ReleasesInFlight as GlidepathReleasesInFlightCard } from './components/ReleasesInFlight';

/**
 * The Feature flags page (`page:glidepath/flags`) at `/glidepath/flags`:
 * stale flags per team, their ages and flag debt over six months.
 * @alpha
 */
export const glidepathFlagsPage = PageBlueprint.make({
  name: 'flags',
  params: {
    path: '/glidepath/flags',
    routeRef: flagsRouteRef,
    title: 'Feature flags',
    icon: <FlagIcon />,
    loader: () => import('./components/FlagsPage').then(m => <m.FlagsPage />),
  },
});

/**
 * The Game days page (`page:glidepath/game-days`) at `/glidepath/game-days`:
 * upcoming and past game days with each fault's timeline and outcome, and
 * per team the drills of the last 90 days.
 * @alpha
 */
export const glidepathGameDaysPage = PageBlueprint.make({
  name: 'game-days',
  params: {
    path: '/glidepath/game-days',
    routeRef: gameDaysRouteRef,
    title: 'Game days',
    icon: <WhatshotIcon />,
    loader: () =>
      import('./components/GameDaysPage').then(m => <m.GameDaysPage />),
  },
});

/**
 * The Release calendar page (`page:glidepath/calendar`) at
 * `/glidepath/calendar`: freeze windows and release trains of the next four
 * weeks, the iCalendar feeds, and adding and deleting freeze windows.
 * @alpha
 */
export const glidepathReleaseCalendarPage = PageBlueprint.make({
  name: 'calendar',
  params: {
    path: '/glidepath/calendar',
    routeRef: calendarRouteRef,
    title: 'Calendar',
    icon: <EventIcon />,
    loader: () =>
      import('./components/ReleaseCalendar').then(m => (
        <m.ReleaseCalendarPage />
      )),
  },
});

/**
 * The Releases page (`page:glidepath/releases`) at `/glidepath/releases`:
 * every release in flight across the company, the release plans, and a
 * month and week calendar of release trains and freezes per team.
 * @alpha
 */
export const glidepathReleasesPage = PageBlueprint.make({
  name: 'releases',
  params: {
    path: '/glidepath/releases',
    routeRef: releasesRouteRef,
    title: 'Releases',
    icon: <FlightTakeoffIcon />,
    loader: () =>
      import('./components/ReleasesPage').then(m => <m.ReleasesPage />),
  },
});

/**
 * A release plan's page (`page:glidepath/plan`) at
 * `/glidepath/plans/:planId`: its waves live as columns, what it waits for,
 * its timeline and overrides, and its controls. Not in the sidebar; the
 * Releases page and the Releases tab link to it.
 * @alpha
 */
export const glidepathPlanPage = PageBlueprint.make({
  name: 'plan',
  params: {
    path: '/glidepath/plans/:planId',
    routeRef: planRouteRef,
    title: 'Release plan',
    loader: () => import('./components/PlanPage').then(m => <m.PlanPage />),
  },
});

/**
 * Glidepath for apps on the new frontend system: its API, the Releases,
 * Dependencies, Release health and Feature flags tabs, the release and
 * release health cards, and the Dependencies, Release analytics and Feature
 * flags pages. Installing the package is enough.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'glidepath',
  title: 'Glidepath',
  info: { packageJson: () => import('../package.json') },
  routes: {
    dependencies: dependencyGraphRouteRef,
    analytics: analyticsRouteRef,
    flags: flagsRouteRef,
    gameDays: gameDaysRouteRef,
    calendar: calendarRouteRef,
    releases: releasesRouteRef,
    plan: planRouteRef,
  },
  extensions: [
    glidepathApiExtension,
    glidepathReleasesEntityContent,
    glidepathDependenciesEntityContent,
    glidepathReleaseHealthEntityContent,
    glidepathFlagsEntityContent,
    glidepathReleaseEntityCard,
    glidepathReleaseHealthEntityCard,
    glidepathDependencyGraphPage,
    glidepathReleaseAnalyticsPage,
    glidepathFlagsPage,
    glidepathGameDaysPage,
    glidepathReleaseCalendarPage,
    glidepathReleasesPage,
    glidepathPlanPage,
    glidepathServicePickerFormField,
    glidepathTrainPickerFormField,
  ],
});
