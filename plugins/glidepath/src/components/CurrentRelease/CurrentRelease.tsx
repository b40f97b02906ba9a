import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
import type { Release } from '@glidepath/backstage-plugin-common';
import { actorName, strategyLabel, versionChange } from '../../lib/releases';
import { elapsed, formatTime } from '../../lib/time';
import { LabelledValue } from '../LabelledValue';
import { ReleasePhaseStatus } from '../ReleaseStatus';
import { SimulatedChip } from '../SimulatedChip';
import { ReleaseSteps } from '../ReleaseSteps';
import { TrafficSplit } from '../TrafficSplit';

function Field(props: { label: string; wide?: boolean; children: ReactNode }) {
  return (
    <Grid item xs={props.wide ? 12 : 6} md={props.wide ? 12 : 3}>
      <LabelledValue label={props.label}>{props.children}</LabelledValue>
    </Grid>
  );
}

/** The entity's current release: what, where, how far, who, and its steps. */
export function CurrentRelease(props: {
  release: Release;
  simulated: boolean;
  actions?: ReactNode;
}) {
  const { release, simulated, actions } = props;
  return (
    <InfoCard
      title={
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <span data-testid="glidepath-version">{versionChange(release)}</span>
          {simulated && <SimulatedChip />}
        </Box>
      }
      subheader={`${release.environment} · ${strategyLabel(release.strategy)}`}
    >
      <Grid container spacing={2}>
        <Field label="Phase">
          <span data-testid="glidepath-phase">
            <ReleasePhaseStatus phase={release.phase} />
          </span>
        </Field>
        <Field label="Started by">{actorName(release.startedBy)}</Field>
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
        {release.message && (
          <Grid item xs={12}>
            <Alert severity="info" data-testid="glidepath-provider-message">
              {release.provider}: {release.message}
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
