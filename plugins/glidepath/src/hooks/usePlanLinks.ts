import { useRouteRef } from '@backstage/core-plugin-api';
import { calendarRouteRef, planRouteRef, releasesRouteRef } from '../routes';

/**
 * A link to a plan's page, or undefined when the app has not mounted it
 * (an app on the legacy frontend system without GlidepathPlanPage).
 */
export function usePlanLink(): ((planId: string) => string) | undefined {
  try {
    const route = useRouteRef(planRouteRef);
    return planId => route({ planId });
  } catch {
    return undefined;
  }
}

/** A link to the Releases page, or undefined when the app has not mounted it. */
export function useReleasesPageLink(): (() => string) | undefined {
  try {
    return useRouteRef(releasesRouteRef);
  } catch {
    return undefined;
  }
}

/** A link to the Calendar page, or undefined when the app has not mounted it. */
export function useCalendarPageLink(): (() => string) | undefined {
  try {
    return useRouteRef(calendarRouteRef);
  } catch {
    return undefined;
  }
}
