import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import {
  describeErrorBudget,
  EntityCalendar,
  ErrorBudget,
  Release,
  ReleaseFreezeOverride,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { ActorName } from '../ActorName';
import { BreakGlass } from './BreakGlass';
import { MarkAsFix } from './MarkAsFix';
import {
  describeFreezeState,
  formatCalendarTime,
  viewerTimeZone,
} from '../../lib/calendar';

/** Whether an environment's state is the error budget's freeze (no window, no end). */
function frozenByBudget(
  name: string,
  state: EntityCalendar['environments'][number]['state'],
  budget: ErrorBudget | undefined,
): boolean {
  return Boolean(
    budget?.frozen &&
      budget.environments.includes(name) &&
      state.closed &&
      state.windowId === null &&
      state.nextOpen === null,
  );
}

/**
 * The error-budget policy's line: the burn of the SLO's 28-day budget
 * ("Error budget: 112% of the 28-day budget spent (SLO 99.5%), frozen
 * except fixes") with a bar, or why it is unknown, or that no SLO applies;
 * and the releases marked as fixes.
 */
function ErrorBudgetLine(props: {
  budget: ErrorBudget;
  fixes: EntityCalendar['fixes'];
  viewer: string;
}) {
  const { budget, fixes, viewer } = props;
  const measured = budget.burnedPercent !== null;
  let color: 'error' | 'textPrimary' | 'textSecondary' = 'textSecondary';
  if (budget.frozen) color = 'error';
  else if (measured) color = 'textPrimary';
  const count = (n: number | null) => (n ?? 0).toLocaleString('en-US');
  return (
    <Box mt={1} data-testid="glidepath-calendar-error-budget">
      <Typography variant="body2" color={color}>
        {describeErrorBudget(budget)}
      </Typography>
      {measured && (
        <LinearProgress
          variant="determinate"
          value={Math.min(100, budget.burnedPercent!)}
          color={budget.status === 'spent' ? 'secondary' : 'primary'}
          aria-label={`${Math.round(
            budget.burnedPercent!,
          )}% of the error budget spent`}
          style={{ marginTop: 4, marginBottom: 4, maxWidth: 320 }}
        />
      )}
      {measured && budget.readAt && (
        <Typography variant="caption" color="textSecondary" display="block">
          {`${count(budget.errors)} errors in ${count(
            budget.requests,
          )} requests over ${budget.windowDays} days, read ${formatCalendarTime(
            budget.readAt,
            undefined,
            viewer,
          )}`}
        </Typography>
      )}
      {(fixes ?? []).map(fix => (
        <Typography
          key={fix.releaseId}
          variant="body2"
          data-testid="glidepath-calendar-fix"
        >
          {`Marked as a fix: ${fix.version} in ${fix.environment}, by `}
          <ActorName actor={fix.by} />
          {`: ${fix.reason}`}
        </Typography>
      ))}
    </Box>
  );
}

/** Whether a release is on its way, so a freeze holds it. */
function inFlight(release: Release | null | undefined): release is Release {
  return release?.phase === 'progressing' || release?.phase === 'paused';
}

/**
 * A break-glass override on an environment's latest release: "Freeze
 * overridden for <version> by <name>: <reason>", with when.
 */
function OverrideLine(props: {
  environment: string;
  override: ReleaseFreezeOverride;
  viewer: string;
}) {
  const { environment, override, viewer } = props;
  return (
    <Typography
      variant="body2"
      data-testid={`glidepath-calendar-override-${environment}`}
      style={{ flexBasis: '100%' }}
    >
      {`Freeze overridden for ${override.version} by `}
      <ActorName actor={override.by} />
      {`: ${override.reason} `}
      <Typography component="span" variant="caption" color="textSecondary">
        {`(${formatCalendarTime(override.at, undefined, viewer)})`}
      </Typography>
    </Typography>
  );
}

/**
 * The Releases tab's calendar card: each environment's freeze state now
 * ("Frozen: <reason>, opens <time>" or "Open; next freeze <time>:
 * <reason>") with the break-glass override of its latest release, or a
 * "Release during freeze" button for the release a freeze holds there;
 * the burn of the service's error budget; and the next release train, in
 * the reader's timezone and the window's or train's own.
 */
export function CalendarCard(props: { entity: Entity; reloadKey?: unknown }) {
  const { entity } = props;
  const api = useApi(glidepathApiRef);
  const state = useAsyncRetry(async () => {
    const name = {
      kind: entity.kind.toLocaleLowerCase('en-US'),
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    };
    const [calendar, windows, trains] = await Promise.all([
      api.getEntityCalendar(name),
      api.listFreezeWindows(),
      api.listReleaseTrains(),
    ]);
    // While the budget freezes production: the release in flight there,
    // which may be marked as a fix (unless it is one already). While a
    // freeze holds an environment: the release in flight there, whose
    // freeze may be broken (unless it was already).
    const budget = calendar.errorBudget;
    const frozen = calendar.environments.filter(e => e.state.closed);
    let unfixed: Release | undefined;
    const held: Record<string, Release> = {};
    if (budget?.frozen || frozen.length) {
      const summary = await api.getEntityReleaseSummary(name);
      const { current } = summary;
      if (
        budget?.frozen &&
        inFlight(current) &&
        budget.environments.includes(current.environment) &&
        !calendar.fixes?.some(f => f.releaseId === current.id)
      ) {
        unfixed = current;
      }
      for (const env of frozen) {
        const release = summary.environments?.find(
          e => e.name === env.name,
        )?.current;
        if (inFlight(release) && env.override?.releaseId !== release.id) {
          held[env.name] = release;
        }
      }
    }
    return {
      calendar,
      windows: windows.items,
      trains: trains.items,
      unfixed,
      held,
    };
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
  const { calendar, windows, trains, unfixed, held } = state.value;
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
                {frozenByBudget(env.name, env.state, calendar.errorBudget)
                  ? 'Frozen: error budget spent; only releases marked as fixes go out until it recovers'
                  : describeFreezeState(env.state, windows, viewer)}
              </Typography>
              {env.override && (
                <OverrideLine
                  environment={env.name}
                  override={env.override}
                  viewer={viewer}
                />
              )}
              {held[env.name] && (
                <Box flexBasis="100%" mt={-1}>
                  <BreakGlass release={held[env.name]} onDone={state.retry} />
                </Box>
              )}
            </Box>
          ))
        )}
        {calendar.errorBudget && (
          <ErrorBudgetLine
            budget={calendar.errorBudget}
            fixes={calendar.fixes}
            viewer={viewer}
          />
        )}
        {unfixed && (
          <MarkAsFix entity={entity} release={unfixed} onMarked={state.retry} />
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
