import { HumanDuration } from '@backstage/types';
import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  glidepath?: {
    sync?: {
      /**
       * How often releases are read from their providers into Glidepath's
       * store. Runs once across all backend replicas.
       * Default: every 10 seconds, 1 minute timeout.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long one provider may take to list its rollouts before the sync
       * gives up on it and marks its entities stale. Default: 20 seconds.
       */
      providerTimeout?: HumanDuration | string;
    };
    actions?: {
      /**
       * How long a provider may take to perform an action before the action
       * fails with a timeout. Default: 30 seconds.
       */
      timeout?: HumanDuration | string;
    };
  };
}
