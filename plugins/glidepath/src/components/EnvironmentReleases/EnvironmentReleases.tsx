import { Fragment } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import type { Entity } from '@backstage/catalog-model';
import type { EnvironmentRelease } from '@glidepath/backstage-plugin-common';
import { environmentsSentence, environmentState } from '../../lib/environments';
import { elapsed, formatTime } from '../../lib/time';
import { ReleasePhaseStatus } from '../ReleaseStatus';
import { EnvironmentRollbackTest } from '../RollbackTests';

function EnvironmentBox(props: {
  entity?: Entity;
  environment: EnvironmentRelease;
  onShowHistory?: (environment: string) => void;
  onChanged?: () => void;
}) {
  const { entity, environment, onShowHistory, onChanged } = props;
  const release = environment.current;
  return (
    <Paper
      variant="outlined"
      style={{ padding: 16, height: '100%', boxSizing: 'border-box' }}
      data-testid={`glidepath-environment-${environment.name}`}
    >
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="h6" component="h3">
          {environment.name}
        </Typography>
        {/* Said when the name does not say it (prod-eu, live, ...). */}
        {environment.production && environment.name !== 'production' && (
          <Chip size="small" label="Production" variant="outlined" />
        )}
      </Box>
      <Typography
        variant="body1"
        data-testid={`glidepath-environment-state-${environment.name}`}
      >
        {environmentState(environment)}
      </Typography>
      {release && (
        <Box mt={1}>
          <ReleasePhaseStatus phase={release.phase} />
          <Typography variant="caption" color="textSecondary" component="div">
            Started {formatTime(release.startedAt)} ·{' '}
            {release.finishedAt
              ? `took ${elapsed(release.startedAt, release.finishedAt)}`
              : `${elapsed(release.startedAt, null)} so far`}
          </Typography>
        </Box>
      )}
      <Typography variant="caption" color="textSecondary" component="div">
        {environment.provider
          ? `${environment.provider}: ${environment.ref}`
          : 'No target named for it any more'}
      </Typography>
      {entity && !environment.production && (
        <EnvironmentRollbackTest
          entity={entity}
          environment={environment}
          onChanged={onChanged ?? (() => {})}
        />
      )}
      {onShowHistory && (
        <Button
          size="small"
          color="primary"
          onClick={() => onShowHistory(environment.name)}
          aria-label={`Show the release history of ${environment.name}`}
        >
          History
        </Button>
      )}
    </Paper>
  );
}

/**
 * Each environment of the entity in promotion order, with what runs there
 * and what is on its way: "staging runs 2.4.0; production 2.3.1 → 2.4.0,
 * canary at 25%". `onShowHistory` filters the release history to one.
 * Given the entity, each non-production environment says how its latest
 * rollback test went and offers to run one; `onChanged` follows a test
 * asked for.
 */
export function EnvironmentReleases(props: {
  entity?: Entity;
  environments: EnvironmentRelease[];
  onShowHistory?: (environment: string) => void;
  onChanged?: () => void;
}) {
  const { entity, environments, onShowHistory, onChanged } = props;
  return (
    <InfoCard
      title="Environments"
      subheader={
        <span data-testid="glidepath-environments-sentence">
          {environmentsSentence(environments)}
        </span>
      }
    >
      <Grid
        container
        spacing={1}
        alignItems="stretch"
        wrap="nowrap"
        data-testid="glidepath-environments"
      >
        {environments.map((environment, i) => (
          <Fragment key={environment.name}>
            {i > 0 && (
              <Grid item style={{ display: 'flex', alignItems: 'center' }}>
                <ArrowForwardIcon
                  color="action"
                  aria-label="then"
                  fontSize="small"
                />
              </Grid>
            )}
            <Grid item xs style={{ minWidth: 0 }}>
              <EnvironmentBox
                entity={entity}
                environment={environment}
                onShowHistory={onShowHistory}
                onChanged={onChanged}
              />
            </Grid>
          </Fragment>
        ))}
      </Grid>
    </InfoCard>
  );
}
