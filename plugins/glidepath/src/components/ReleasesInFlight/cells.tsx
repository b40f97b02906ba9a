import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ReleaseInFlight } from '@glidepath/backstage-plugin-common';
import { shortRef } from '../../lib/entity';
import { versionChange } from '../../lib/releases';
import { ReleasePhaseStatus } from '../ReleaseStatus';

/*
 * The cells a release in flight has wherever it is listed: the home page's
 * card and the Releases page's tab.
 */

/** Whether simulated releases stand among real ones (then each says so). */
export function mixesSimulated(items: readonly ReleaseInFlight[]): boolean {
  const simulated = items.filter(({ release }) => release.simulated).length;
  return simulated > 0 && simulated < items.length;
}

/**
 * What a list says once of its simulated releases: none, "N of them
 * simulated by the sandbox" (each row then says so too), or "Simulated by
 * the sandbox" when all are.
 */
export function simulatedNote(
  items: readonly ReleaseInFlight[],
): string | undefined {
  const simulated = items.filter(({ release }) => release.simulated).length;
  if (simulated === 0) return undefined;
  return mixesSimulated(items)
    ? `${simulated} of them simulated by the sandbox`
    : 'Simulated by the sandbox';
}

/** Secondary text under a cell's first line. */
function Caption(props: { children: React.ReactNode }) {
  return (
    <Typography variant="caption" color="textSecondary" component="div">
      {props.children}
    </Typography>
  );
}

/** The service, leading to its Releases tab; "simulated" among real ones. */
export function InFlightService(props: {
  item: ReleaseInFlight;
  mixed: boolean;
}) {
  const { release, entityTitle } = props.item;
  const entityRoute = useRouteRef(entityRouteRef);
  return (
    <Box>
      <Link to={`${entityRoute(parseEntityRef(release.entityRef))}/releases`}>
        {entityTitle ?? shortRef(release.entityRef)}
      </Link>
      {props.mixed && release.simulated && <Caption>simulated</Caption>}
    </Box>
  );
}

/**
 * The version change and, under it, where it goes: a service may be on its
 * way in staging and in production at once.
 */
export function InFlightVersion(props: { item: ReleaseInFlight }) {
  const { release } = props.item;
  return (
    <Box>
      {versionChange(release)}
      <Caption>{release.environment}</Caption>
    </Box>
  );
}

/** The phase and, for a canary, its traffic. */
export function InFlightPhase(props: { item: ReleaseInFlight }) {
  const { release } = props.item;
  return (
    <Box>
      <ReleasePhaseStatus phase={release.phase} />
      {release.strategy === 'canary' && (
        <Caption>canary at {release.canaryWeight}%</Caption>
      )}
    </Box>
  );
}

/** The owner by name, leading to its catalog page. */
export function InFlightOwner(props: { item: ReleaseInFlight }) {
  const { owner } = props.item;
  const entityRoute = useRouteRef(entityRouteRef);
  return owner ? (
    <Link to={entityRoute(parseEntityRef(owner.ref))}>
      {owner.title ?? shortRef(owner.ref)}
    </Link>
  ) : (
    <>No owner</>
  );
}
