import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import type {
  GraphDirection,
  GraphQuery,
  ReleasePhase,
} from '@glidepath/backstage-plugin-common';
import { normalizeEntityRef } from '@glidepath/backstage-plugin-common';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { useDependencyGraph } from '../../hooks/useDependencyGraph';
import { filterGraph, phaseLegend } from '../../lib/graph';
import {
  DepthDirectionControls,
  GraphPanel,
  LabelledSelect,
} from '../DependencyGraph';

type ScopeType = 'all' | 'system' | 'owner' | 'domain';

const SCOPE_LABEL: Record<Exclude<ScopeType, 'all'>, string> = {
  system: 'System',
  owner: 'Team',
  domain: 'Domain',
};
const SCOPE_ARTICLE: Record<Exclude<ScopeType, 'all'>, string> = {
  system: 'a system',
  owner: 'a team',
  domain: 'a domain',
};
const SCOPE_PLURAL: Record<Exclude<ScopeType, 'all'>, string> = {
  system: 'systems',
  owner: 'teams',
  domain: 'domains',
};
const PICK_DESCRIPTION: Record<Exclude<ScopeType, 'all'>, string> = {
  system:
    'Choose a system in the System list above: its components and resources, what they depend on and what depends on them.',
  owner:
    'Choose a team in the Team list above: the components and resources it owns, what they depend on and what depends on them.',
  domain:
    'Choose a domain in the Domain list above: the components and resources of its systems and their dependencies.',
};
const SCOPE_TYPES: Array<{ value: ScopeType; label: string }> = [
  { value: 'all', label: 'The whole catalog' },
  { value: 'system', label: 'A system' },
  { value: 'owner', label: 'A team' },
  { value: 'domain', label: 'A domain' },
];
const SCOPE_KIND: Record<Exclude<ScopeType, 'all'>, string> = {
  system: 'system',
  owner: 'group',
  domain: 'domain',
};
const KINDS = [
  { value: 'any', label: 'Components and resources' },
  { value: 'component', label: 'Components' },
  { value: 'resource', label: 'Resources' },
];
const LIFECYCLES = [
  { value: 'any', label: 'Any lifecycle' },
  { value: 'production', label: 'production' },
  { value: 'experimental', label: 'experimental' },
  { value: 'deprecated', label: 'deprecated' },
];

/**
 * The choices of a scope: systems and domains, or the groups of type team,
 * by their display names (profile display name, title or name), sorted.
 */
export function scopeChoices(
  entities: readonly Entity[],
  scopeType: Exclude<ScopeType, 'all'>,
): Array<{ value: string; label: string }> {
  return entities
    .filter(e => scopeType !== 'owner' || e.spec?.type === 'team')
    .map(e => {
      const profile = e.spec?.profile as { displayName?: unknown } | undefined;
      const displayName =
        scopeType === 'owner' && typeof profile?.displayName === 'string'
          ? profile.displayName
          : undefined;
      return {
        value: normalizeEntityRef(stringifyEntityRef(e)),
        label: displayName || e.metadata.title || e.metadata.name,
      };
    })
    .sort(
      (a, b) =>
        a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }) ||
        a.value.localeCompare(b.value),
    );
}

/** The page's state, kept in the URL so that a view can be shared. */
export function queryFromParams(params: URLSearchParams): {
  scopeType: ScopeType;
  query: GraphQuery;
} {
  const scopeType = (['system', 'owner', 'domain'] as const).find(k =>
    params.get(k),
  );
  const depth = Number(params.get('depth') ?? 1);
  const query: GraphQuery = {
    direction: (params.get('direction') as GraphDirection) ?? 'both',
    kind: params.getAll('kind'),
    lifecycle: params.getAll('lifecycle'),
  };
  if (scopeType) {
    query[scopeType] = params.get(scopeType)!;
    query.depth = Number.isFinite(depth) ? depth : 1;
  }
  return {
    scopeType: scopeType ?? ((params.get('scope') as ScopeType) || 'all'),
    query,
  };
}

/**
 * The dependency graph of a system, a team, a domain or the whole catalog,
 * with filters: kind and lifecycle (asked of the server), rollout phase and
 * broken requirements (applied here). A graph, or a table for very large
 * ones (`?view=graph` or `?view=table` picks one).
 * @public
 */
export function DependencyGraphPage() {
  const [params, setParams] = useSearchParams();
  const { scopeType, query } = queryFromParams(params);
  const scopeValue =
    scopeType === 'all' ? '' : (query[scopeType] as string | undefined) ?? '';
  const catalogApi = useApi(catalogApiRef);
  const options = useAsync(async () => {
    if (scopeType === 'all') return [];
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: SCOPE_KIND[scopeType],
        // Teams only, not the organisation or its departments.
        ...(scopeType === 'owner' ? { 'spec.type': 'team' } : {}),
      },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.type',
        'spec.profile.displayName',
      ],
    });
    return scopeChoices(items, scopeType);
  }, [catalogApi, scopeType]);

  const ready = scopeType === 'all' || Boolean(scopeValue);
  const graphState = useDependencyGraph(ready ? query : undefined);
  const phases = params.getAll('phase') as Array<ReleasePhase | 'none'>;
  const brokenOnly = params.get('broken') === '1';
  const view = params.get('view');
  const viewParam = view === 'graph' || view === 'table' ? view : undefined;
  const shown = useMemo(
    () =>
      graphState.value && ready
        ? filterGraph(graphState.value, { phases, brokenOnly })
        : undefined,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [graphState.value, ready, phases.join(','), brokenOnly],
  );

  const update = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(params);
    change(next);
    setParams(next, { replace: true });
  };
  const setScope = (type: ScopeType) =>
    update(next => {
      ['system', 'owner', 'domain'].forEach(k => next.delete(k));
      next.set('scope', type);
    });

  return (
    // The app draws the page's header, as it does for the catalog's pages.
    <Content>
      <Box
        display="flex"
        flexDirection="column"
        style={{ gap: 16 }}
        data-testid="glidepath-dependency-page"
      >
        <Typography variant="body1" color="textSecondary">
          Who depends on whom, what runs where, and which version requirements
          hold.
        </Typography>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 12 }}
        >
          <LabelledSelect
            id="glidepath-graph-scope"
            label="Show"
            value={scopeType}
            options={SCOPE_TYPES}
            onChange={setScope}
            minWidth={180}
          />
          {scopeType !== 'all' && (
            <LabelledSelect
              id="glidepath-graph-scope-value"
              label={SCOPE_LABEL[scopeType]}
              value={scopeValue}
              options={[
                { value: '', label: 'Choose…' },
                ...(options.value ?? []),
              ]}
              onChange={value =>
                update(next => {
                  next.delete('scope');
                  if (value) next.set(scopeType, value);
                  else next.delete(scopeType);
                })
              }
              minWidth={220}
            />
          )}
          {scopeType !== 'all' && (
            <DepthDirectionControls
              minDepth={0}
              depth={query.depth ?? 1}
              direction={query.direction ?? 'both'}
              onDepth={depth =>
                update(next => next.set('depth', String(depth)))
              }
              onDirection={direction =>
                update(next => next.set('direction', direction))
              }
            />
          )}
          <LabelledSelect
            id="glidepath-graph-kind"
            label="Kind"
            value={query.kind?.[0] ?? 'any'}
            options={KINDS}
            onChange={kind =>
              update(next =>
                kind === 'any' ? next.delete('kind') : next.set('kind', kind),
              )
            }
            minWidth={200}
          />
          <LabelledSelect
            id="glidepath-graph-lifecycle"
            label="Lifecycle"
            value={query.lifecycle?.[0] ?? 'any'}
            options={LIFECYCLES}
            onChange={lifecycle =>
              update(next =>
                lifecycle === 'any'
                  ? next.delete('lifecycle')
                  : next.set('lifecycle', lifecycle),
              )
            }
          />
          <LabelledSelect
            id="glidepath-graph-phase"
            label="Rollout phase"
            value={phases[0] ?? 'any'}
            options={[
              { value: 'any', label: 'Any phase' },
              ...phaseLegend().map(p => ({ value: p.key, label: p.label })),
            ]}
            onChange={phase =>
              update(next =>
                phase === 'any'
                  ? next.delete('phase')
                  : next.set('phase', phase),
              )
            }
            minWidth={160}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={brokenOnly}
                onChange={e =>
                  update(next =>
                    e.target.checked
                      ? next.set('broken', '1')
                      : next.delete('broken'),
                  )
                }
                inputProps={{ 'aria-label': 'Only broken requirements' }}
              />
            }
            label="Only broken requirements"
          />
          <Button size="small" variant="outlined" onClick={graphState.refresh}>
            Refresh
          </Button>
        </Box>
        {options.error && (
          <WarningPanel
            severity="warning"
            title="Could not list the choices"
            message={options.error.message}
          />
        )}
        {!ready && (
          <EmptyState
            missing="field"
            title={`Pick ${SCOPE_ARTICLE[scopeType]} to see its dependencies`}
            description={PICK_DESCRIPTION[scopeType]}
            action={
              options.value?.length === 0 ? (
                <Typography variant="body2">
                  The catalog has no {SCOPE_PLURAL[scopeType]} to choose.
                </Typography>
              ) : undefined
            }
          />
        )}
        {ready && graphState.refreshError && (
          <WarningPanel
            severity="warning"
            title="Could not refresh; showing what was loaded before"
            message={graphState.refreshError.message}
          />
        )}
        {ready && graphState.loading && !shown && <Progress />}
        {ready && graphState.error && !shown && (
          <ResponseErrorPanel
            title="Could not load the dependency graph"
            error={graphState.error}
          />
        )}
        {shown && (
          <GraphPanel
            graph={shown}
            initialView={viewParam}
            emptyTitle="Nothing to show"
            emptyDescription="No component or resource matches the scope and filters."
          />
        )}
      </Box>
    </Content>
  );
}
