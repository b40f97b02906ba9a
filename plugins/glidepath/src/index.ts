/**
 * Glidepath in the Backstage portal: the Releases, Dependencies, Release
 * health and Feature flags tabs and the release and release health cards on
 * entity pages, with rollback and rollout controls, and the Dependencies,
 * Release analytics and Feature flags pages.
 *
 * This entry point is for apps on the legacy frontend system; apps on the
 * new frontend system install the default export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  glidepathPlugin,
  EntityGlidepathReleasesContent,
  EntityGlidepathReleaseCard,
  EntityGlidepathFlagsContent,
  EntityGlidepathDependenciesContent,
  GlidepathDependencyGraphPage,
  EntityGlidepathReleaseHealthContent,
  EntityGlidepathReleaseHealthCard,
  GlidepathReleaseAnalyticsPage,
  GlidepathFlagsPage,
  GlidepathGameDaysPage,
  GlidepathReleaseCalendarPage,
  GlidepathReleasesPage,
  GlidepathPlanPage,
  GlidepathReleasesInFlightCard,
  GlidepathServicePickerFieldExtension,
  GlidepathTrainPickerFieldExtension,
} from './plugin';
export type { ServicePickerOptions } from './components/ServicePicker';
export {
  dependencyGraphRouteRef,
  analyticsRouteRef,
  flagsRouteRef,
  gameDaysRouteRef,
  calendarRouteRef,
  releasesRouteRef,
  planRouteRef,
} from './routes';
export { glidepathApiRef, glidepathApiFactory } from './api';
export {
  isGlidepathAvailable,
  isGlidepathFlagsAvailable,
  ANNOTATION_ROLLOUT,
  ANNOTATION_FLAGS,
} from '@glidepath/backstage-plugin-common';
