import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { WarningPanel } from '@backstage/core-components';
import type { GraphDirection } from '@glidepath/backstage-plugin-common';
import {
  normalizeEntityRef,
  readGlidepathAnnotations,
} from '@glidepath/backstage-plugin-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useState } from 'react';
import { useDependencyGraph } from '../../hooks/useDependencyGraph';
import { DepthDirectionControls, GraphPanel } from '../DependencyGraph';
import { AnnotationProblems } from '../ProviderNotices';

/**
 * The Dependencies tab of an entity page: the graph around the entity with
 * deployed versions, rollout phases and version requirements, broken ones
 * highlighted; a node opens its entity. Reads the entity from `useEntity`.
 * @public
 */
export function DependenciesContent() {
  const { entity } = useEntity();
  const root = normalizeEntityRef(stringifyEntityRef(entity));
  const [depth, setDepth] = useState(2);
  const [direction, setDirection] = useState<GraphDirection>('both');
  const {
    value: graph,
    loading,
    error,
    refreshError,
    refresh,
  } = useDependencyGraph({ entity: root, depth, direction });
  const problems = readGlidepathAnnotations(entity).problems.filter(
    p => p.annotation === 'glidepath.dev/requires',
  );

  return (
    <Box
      display="flex"
      flexDirection="column"
      style={{ gap: 16 }}
      data-testid="glidepath-dependencies"
    >
      <AnnotationProblems problems={problems} />
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 12 }}
      >
        <DepthDirectionControls
          depth={depth}
          direction={direction}
          onDepth={setDepth}
          onDirection={setDirection}
        />
        <Button size="small" variant="outlined" onClick={refresh}>
          Refresh
        </Button>
      </Box>
      {refreshError && (
        <WarningPanel
          severity="warning"
          title="Could not refresh; showing what was loaded before"
          message={refreshError.message}
        />
      )}
      {loading && !graph && <Progress />}
      {error && !graph && (
        <ResponseErrorPanel
          title="Could not load the dependency graph"
          error={error}
        />
      )}
      {graph && (
        <GraphPanel
          graph={graph}
          root={root}
          emptyTitle="No dependencies"
          emptyDescription="Add dependsOn, consumesApis or glidepath.dev/requires to the entity's catalog-info.yaml."
        />
      )}
    </Box>
  );
}
