import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { ActionRunner } from './ActionRunner';
import type { ActionStore } from './ActionStore';
import { errorMessage } from '../shared/errors';

/** How often each replica looks for actions nobody is running. */
export const ACTION_SWEEP_SECONDS = 5;
/** How long a new action is left to the replica that accepted it. */
const UNCLAIMED_GRACE_MS = 5_000;

/**
 * The action sweep: every few seconds each replica takes up the actions
 * nobody is running (requested but never taken up, or held by a runner
 * whose lease ran out: its replica died) and finishes them. It runs on
 * every replica (local scope), not once across them: taking an action up
 * is a conditional write, so one runner wins, and a replica's death does
 * not wait for the scheduler to hand a global task over.
 */
export async function scheduleActionSweep(options: {
  scheduler: SchedulerService;
  actions: ActionStore;
  runner: ActionRunner;
  logger: LoggerService;
}) {
  const { scheduler, actions, runner, logger } = options;
  await scheduler.scheduleTask({
    id: 'glidepath-action-sweep',
    scope: 'local',
    frequency: { seconds: ACTION_SWEEP_SECONDS },
    timeout: { seconds: 30 },
    initialDelay: { seconds: 1 },
    fn: async () => {
      const now = new Date();
      const waiting = await actions.listUnfinishedActions({
        requestedBefore: new Date(now.getTime() - UNCLAIMED_GRACE_MS),
        now,
        limit: 100,
      });
      for (const action of waiting) {
        logger.info(
          `Glidepath: taking up ${action.action} of release ${action.releaseId} (${action.entityRef}), requested at ${action.requestedAt}, that nobody is running`,
        );
        runner
          .enqueue(action)
          .catch(error =>
            logger.warn(
              `Glidepath: action ${
                action.id
              } could not be taken up: ${errorMessage(error)}`,
            ),
          );
      }
    },
  });
}
