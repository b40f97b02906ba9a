import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { Release } from '@glidepath/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { glidepathApiRef } from '../api';
import { shortRef } from '../lib/graph';

/**
 * What rolling a release back would break: the version requirements of
 * other entities (glidepath.dev/requires) that the version left running
 * after the rollback does not satisfy. Shown in the rollback dialog; a
 * warning, not a block.
 */
export function RollbackRequirementWarnings(props: { release: Release }) {
  const { release } = props;
  const api = useApi(glidepathApiRef);
  const target = release.previousVersion;
  const check = useAsync(async () => {
    if (!target) return undefined;
    return api.checkProposedChanges([
      {
        entityRef: release.entityRef,
        version: target,
        environment: release.environment,
      },
    ]);
  }, [api, release.entityRef, release.environment, target]);

  if (!target || check.loading) return null;
  if (check.error) {
    return (
      <Typography variant="caption" color="textSecondary" component="p">
        Could not check what depends on this version ({check.error.message}).
      </Typography>
    );
  }
  const broken = check.value?.broken ?? [];
  if (!broken.length) return null;
  const name = shortRef(release.entityRef);
  return (
    <Box mt={2}>
      <Alert severity="warning" data-testid="glidepath-rollback-breaks">
        <Typography variant="subtitle2">
          Rolling back {name} to {target} breaks{' '}
          {broken.length === 1
            ? 'a requirement'
            : `${broken.length} requirements`}
        </Typography>
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {broken.map(v => (
            <li key={`${v.from}:${v.environment}`}>
              {shortRef(v.from)} requires <code>{v.text}</code>
              {v.environment ? ` in ${v.environment}` : ''}
              {v.alreadyBroken ? ' (already broken now)' : ''}
            </li>
          ))}
        </ul>
      </Alert>
    </Box>
  );
}
