import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { Release } from '@glidepath/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { glidepathApiRef } from '../../api';
import { shortRef } from '../../lib/entity';

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
  const all = check.value?.broken ?? [];
  if (!all.length) return null;
  const newly = all.filter(v => !v.alreadyBroken);
  const already = all.filter(v => v.alreadyBroken);
  const name = shortRef(release.entityRef);
  const item = (v: (typeof all)[number]) => (
    <li key={`${v.from}:${v.environment}`}>
      {shortRef(v.from)} requires <code>{v.text}</code>
      {v.environment ? ` in ${v.environment}` : ''}
    </li>
  );
  return (
    <Box mt={2}>
      <Alert
        severity={newly.length ? 'warning' : 'info'}
        data-testid="glidepath-rollback-breaks"
      >
        {newly.length > 0 && (
          <>
            <Typography variant="subtitle2">
              Rolling back {name} to {target} breaks{' '}
              {newly.length === 1
                ? 'a requirement'
                : `${newly.length} requirements`}
            </Typography>
            <ul style={{ margin: 0, paddingLeft: 20 }}>{newly.map(item)}</ul>
          </>
        )}
        {already.length > 0 && (
          <>
            <Typography variant="subtitle2">
              {target} does not satisfy{' '}
              {already.length === 1
                ? 'a requirement that is already broken'
                : `${already.length} requirements that are already broken`}
            </Typography>
            <ul style={{ margin: 0, paddingLeft: 20 }}>{already.map(item)}</ul>
          </>
        )}
      </Alert>
    </Box>
  );
}
