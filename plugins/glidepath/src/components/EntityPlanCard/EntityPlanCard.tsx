import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { glidepathApiRef } from '../../api';
import { usePlanLink } from '../../hooks/usePlanLinks';
import { usePolling, useRefreshable } from '../../hooks/useRefreshable';
import { entityName } from '../../lib/entity';
import {
  isPlanActive,
  planWaitingFor,
  WAVE_STATE,
  wavesProgress,
} from '../../lib/plans';
import {
  MemberStateStatus,
  PlanStateStatus,
  SimulationChip,
} from '../PlanPage';

/** How often the card reads the entity's plans again while one is active. */
export const ENTITY_PLAN_REFRESH_MS = 10_000;

/**
 * The Releases tab's "Release plan" card: the active plan the service is
 * part of, its state, the service's wave and where it is, and a link to the
 * plan; a quiet line when it is in none.
 */
export function EntityPlanCard(props: { entity: Entity; reloadKey?: unknown }) {
  const { entity } = props;
  const api = useApi(glidepathApiRef);
  const planLink = usePlanLink();
  const ref = stringifyEntityRef(entity);
  const { value, loading, error, refresh } = useRefreshable(
    `entity-plans:${ref}`,
    () => api.getEntityPlans(entityName(entity)),
    [api, ref, props.reloadKey],
  );
  const active = value?.items.find(isPlanActive);
  usePolling(Boolean(active), ENTITY_PLAN_REFRESH_MS, refresh);

  if (loading) {
    return (
      <InfoCard title="Release plan">
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return (
      <ResponseErrorPanel
        title="Could not load the release plans"
        error={error ?? new Error('No plans were returned')}
      />
    );
  }
  if (!active) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="glidepath-entity-plan-none"
      >
        Not part of an active release plan.
      </Typography>
    );
  }
  const members = active.members.filter(
    m =>
      m.entityRef.toLocaleLowerCase('en-US') === ref.toLocaleLowerCase('en-US'),
  );
  const waiting = planWaitingFor(active);
  return (
    <InfoCard title="Release plan">
      <Box data-testid="glidepath-entity-plan">
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 12 }}
        >
          <Typography variant="subtitle1" component="span">
            {planLink ? (
              <Link to={planLink(active.id)}>{active.title}</Link>
            ) : (
              active.title
            )}
          </Typography>
          <PlanStateStatus state={active.state} />
          {active.simulated && <SimulationChip />}
        </Box>
        <Typography variant="body2">
          {wavesProgress(active)}
          {active.currentWave !== null &&
            `; now wave ${active.currentWave + 1} of ${active.waves.length}`}
        </Typography>
        {members.map(member => {
          const wave = active.waves.find(w => w.index === member.wave);
          return (
            <Box
              key={member.environment}
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
              mt={1}
            >
              <Typography variant="body2">
                This service: {member.version} to {member.environment} in wave{' '}
                {member.wave + 1}
                {wave ? ` (${WAVE_STATE[wave.state].toLowerCase()})` : ''}
              </Typography>
              <MemberStateStatus state={member.state} />
            </Box>
          );
        })}
        {waiting && (
          <Typography variant="body2" color="textSecondary">
            {waiting}
          </Typography>
        )}
        {planLink && (
          <Box mt={1}>
            <Link to={planLink(active.id)}>Open the plan</Link>
          </Box>
        )}
      </Box>
    </InfoCard>
  );
}
