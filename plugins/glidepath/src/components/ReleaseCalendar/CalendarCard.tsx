import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { glidepathApiRef } from '../../api';
import {
  describeFreezeState,
  formatCalendarTime,
  viewerTimeZone,
} from '../../lib/calendar';

/**
 * The Releases tab's calendar card: each environment's freeze state now
 * ("Frozen: <reason>, opens <time>" or "Open; next freeze <time>:
 * <reason>") and the next release train, in the reader's timezone and the
 * window's or train's own.
 */
export function CalendarCard(props: { entity: Entity; reloadKey?: unknown }) {
  const { entity } = props;
  const api = useApi(glidepathApiRef);
  const state = useAsyncRetry(async () => {
    const [calendar, windows, trains] = await Promise.all([
      api.getEntityCalendar({
        kind: entity.kind.toLocaleLowerCase('en-US'),
        namespace: entity.metadata.namespace ?? 'default',
        name: entity.metadata.name,
      }),
      api.listFreezeWindows(),
      api.listReleaseTrains(),
    ]);
    return { calendar, windows: windows.items, trains: trains.items };
  }, [api, entity, props.reloadKey]);

  if (state.loading && !state.value) {
    return (
      <InfoCard title="Calendar">
        <Progress />
      </InfoCard>
    );
  }
  if (state.error || !state.value) {
    return (
      <ResponseErrorPanel
        title="Could not load the release calendar"
        error={state.error ?? new Error('No calendar was returned')}
      />
    );
  }
  const { calendar, windows, trains } = state.value;
  const viewer = viewerTimeZone();
  const next = calendar.trains
    .filter(t => t.next)
    .sort((a, b) => Date.parse(a.next!) - Date.parse(b.next!))[0];
  const train = next && trains.find(t => t.id === next.id);
  return (
    <InfoCard title="Calendar" subheader={`Times in your timezone, ${viewer}`}>
      <Box data-testid="glidepath-calendar-card">
        {calendar.environments.length === 0 ? (
          <Typography variant="body2">
            No environments to release to: the service has no rollout
            annotation.
          </Typography>
        ) : (
          calendar.environments.map(env => (
            <Box
              key={env.name}
              display="flex"
              flexWrap="wrap"
              style={{ gap: 8 }}
              mb={0.5}
              data-testid={`glidepath-calendar-${env.name}`}
            >
              <Typography variant="body2" style={{ fontWeight: 500 }}>
                {env.name}
              </Typography>
              <Typography
                variant="body2"
                color={env.state.closed ? 'error' : 'textPrimary'}
              >
                {describeFreezeState(env.state, windows, viewer)}
              </Typography>
            </Box>
          ))
        )}
        <Typography variant="body2" style={{ marginTop: 8 }}>
          {next?.next
            ? `Next train: ${next.title}, ${formatCalendarTime(
                next.next,
                train?.timezone,
                viewer,
              )}`
            : 'No release train applies to this service.'}
        </Typography>
      </Box>
    </InfoCard>
  );
}
