import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { LeasedTaskServices, scheduleLeasedTask } from '../shared/leasedTask';
import type { PlanService } from './PlanService';

/**
 * The plans' executor on its schedule (every 2 s by default), by one
 * replica at a time with a quick takeover: every move is a write
 * conditional on the plan's revision, and every provider call has its key
 * stored before it is made, so a replica dying mid-wave loses nothing and
 * repeats nothing.
 */
export async function schedulePlans(
  services: LeasedTaskServices,
  options: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    plans: PlanService;
  },
) {
  const { logger } = services;
  await scheduleLeasedTask(services, {
    id: 'glidepath-plans',
    schedule: options.schedule,
    fn: async () => {
      const { moved } = await options.plans.runOnce();
      if (moved) logger.debug(`Glidepath release plans: ${moved} moves`);
    },
  });
}
