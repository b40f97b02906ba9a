import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
import type {
  Release,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import { strategyLabel, versionChange } from '../../lib/releases';
import { ActorName } from '../ActorName';
import { elapsed, formatTime } from '../../lib/time';
import { LabelledValue } from '../LabelledValue';
import { ReleasePhaseStatus } from '../ReleaseStatus';
import { ReleaseSteps } from '../ReleaseSteps';
import { TrafficSplit } from '../TrafficSplit';

function Field(props: { label: string; wide?: boolean; children: ReactNode }) {
  return (
    <Grid item xs={props.wide ? 12 : 6} md={props.wide ? 12 : 3}>
      <LabelledValue label={props.label}>{props.children}</LabelledValue>
    </Grid>
  );
}

/**
 * The provider's message, unless it only repeats the reason of an action on
 * the release shown elsewhere on the page (the audit trail, the analysis).
 */
export function providerMessage(
  release: Pick<Release, 'id' | 'message'>,
  actions: readonly Pick<ReleaseAction, 'releaseId' | 'reason'>[],
): string | null {
  const { message } = release;
  if (!message) return null;
  const repeats = actions.some(
    action =>
      action.releaseId === release.id &&
      action.reason.length > 0 &&
      message.includes(action.reason),
  );
  return repeats ? null : message;
}

/**
 * The entity's current release: what, where, how far, who, and its steps.
 * `recentActions` are the actions shown elsewhere on the page, so that the
 * provider's message is not shown when it only repeats one's reason.
 */
export function CurrentRelease(props: {
  release: Release;
  recentActions?: ReleaseAction[];
  actions?: ReactNode;
}) {
  const { release, actions } = props;
  const message = providerMessage(release, props.recentActions ?? []);
  return (
    <InfoCard
      title={
        <span data-testid="glidepath-version">{versionChange(release)}</span>
      }
      subheader={`${release.environment} · ${strategyLabel(release.strategy)}`}
    >
      <Grid container spacing={2}>
        <Field label="Phase">
          <span data-testid="glidepath-phase">
            <ReleasePhaseStatus phase={release.phase} />
          </span>
        </Field>
        <Field label="Started by">
          <ActorName actor={release.startedBy} />
        </Field>
        <Field label="Started">{formatTime(release.startedAt)}</Field>
        <Field label={release.finishedAt ? 'Took' : 'Running for'}>
          {elapsed(release.startedAt, release.finishedAt)}
        </Field>
        {release.commit && (
          <Field label="Commit">
            <code>{release.commit.slice(0, 12)}</code>
          </Field>
        )}
        <Field label="Provider">
          {release.provider}: {release.providerRef}
        </Field>
        <Field label="Traffic" wide>
          <TrafficSplit release={release} />
        </Field>
        {message && (
          <Grid item xs={12}>
            <Alert severity="info" data-testid="glidepath-provider-message">
              {release.provider}: {message}
            </Alert>
          </Grid>
        )}
        {actions && (
          <Grid item xs={12}>
            {actions}
          </Grid>
        )}
        <Field label="Steps" wide>
          <ReleaseSteps release={release} />
        </Field>
      </Grid>
    </InfoCard>
  );
}
