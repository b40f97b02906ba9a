import { Link, WarningPanel } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { DependencyGraph } from '@glidepath/backstage-plugin-common';
import { useState } from 'react';
import { shortRef } from '../../lib/entity';

/** Names listed per wave before "Show every entity". */
export const NAMES_SHOWN_PER_WAVE = 8;
/** Above this many entities the names are plain text, not links. */
const LINKS_UP_TO = 300;

/**
 * What a wave shows: the first `limit` names (all of them without a limit)
 * and how many more there are.
 */
export function waveNames(
  layer: readonly string[],
  limit: number | undefined,
): { shown: string[]; more: number } {
  const shown = limit === undefined ? [...layer] : layer.slice(0, limit);
  return { shown, more: layer.length - shown.length };
}

/** An entity by its short name, linked to its page unless `link` is false. */
export function EntityName(props: { entityRef: string; link: boolean }) {
  const entityRoute = useRouteRef(entityRouteRef);
  if (!props.link) return <>{shortRef(props.entityRef)}</>;
  const { kind, namespace, name } = parseEntityRef(props.entityRef);
  return (
    <Link
      to={entityRoute({
        kind: kind.toLocaleLowerCase('en-US'),
        namespace,
        name,
      })}
    >
      {shortRef(props.entityRef)}
    </Link>
  );
}

/**
 * The release order as waves side by side, dependencies first: each wave
 * its number, its size and the entities in it (the first few of a large
 * wave, all on request). A graph with cycles has no order: its cycles are
 * listed instead.
 */
export function ReleaseWaves(props: { graph: DependencyGraph }) {
  const { layers, cycles } = props.graph.releaseOrder;
  const [all, setAll] = useState(false);
  if (cycles.length) {
    return (
      <WarningPanel
        severity="warning"
        title={`No release order: ${cycles.length} dependency ${
          cycles.length === 1 ? 'cycle' : 'cycles'
        }`}
        message={
          <ul data-testid="glidepath-graph-cycles">
            {cycles.map(cycle => (
              <li key={cycle.join(',')}>
                {cycle.map(shortRef).join(' → ')} → {shortRef(cycle[0])}
              </li>
            ))}
          </ul>
        }
      />
    );
  }
  if (!layers || layers.length < 2) return null;
  const total = layers.reduce((sum, layer) => sum + layer.length, 0);
  const truncated = layers.some(l => l.length > NAMES_SHOWN_PER_WAVE);
  const link = total <= LINKS_UP_TO;
  return (
    <Box
      component="section"
      aria-labelledby="glidepath-release-order-title"
      data-testid="glidepath-release-order"
    >
      <Box
        display="flex"
        alignItems="baseline"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography
          variant="subtitle2"
          component="h3"
          id="glidepath-release-order-title"
        >
          Release order
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {layers.length} waves, dependencies first; the entities of a wave can
          be released together once the waves before it are done.
        </Typography>
      </Box>
      <Box
        component="ol"
        display="grid"
        style={{
          gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
          gap: '8px 16px',
          listStyle: 'none',
          margin: '8px 0 0',
          padding: 0,
        }}
      >
        {layers.map((layer, i) => {
          const { shown, more } = waveNames(
            layer,
            all ? undefined : NAMES_SHOWN_PER_WAVE,
          );
          return (
            <li
              key={i}
              data-testid="glidepath-release-wave"
              style={{ minWidth: 0, overflowWrap: 'anywhere' }}
            >
              <Typography variant="body2" component="div">
                <strong>Wave {i + 1}</strong>{' '}
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="span"
                >
                  {layer.length === 1 ? '1 entity' : `${layer.length} entities`}
                </Typography>
              </Typography>
              <Typography variant="body2" component="div">
                {shown.map((ref, j) => (
                  <span key={ref}>
                    {j > 0 && ', '}
                    {/* Names wrap between them, not at their hyphens. */}
                    <span style={{ whiteSpace: 'nowrap' }}>
                      <EntityName entityRef={ref} link={link} />
                    </span>
                  </span>
                ))}
                {more > 0 && `, and ${more} more`}
              </Typography>
            </li>
          );
        })}
      </Box>
      {truncated && (
        <Button
          size="small"
          onClick={() => setAll(a => !a)}
          aria-expanded={all}
          data-testid="glidepath-release-order-toggle"
        >
          {all ? 'Show fewer' : `Show all ${total} entities`}
        </Button>
      )}
    </Box>
  );
}
