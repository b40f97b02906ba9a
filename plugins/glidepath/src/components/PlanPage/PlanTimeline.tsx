import { EmptyState, InfoCard } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  PlanEvent,
  PlanOverride,
} from '@glidepath/backstage-plugin-common';
import { shortRef } from '../../lib/entity';
import { readableRefs } from '../../lib/plans';
import { formatTime } from '../../lib/time';
import { ActorName } from '../ActorName';

/** The plan's timeline, newest first: what happened, to which wave and service, and who did it. */
export function PlanTimeline(props: { events: readonly PlanEvent[] }) {
  const events = [...props.events].reverse();
  return (
    <InfoCard title="Timeline" subheader="Newest first">
      {events.length === 0 ? (
        <EmptyState
          missing="data"
          title="Nothing has happened yet"
          description="The plan's steps show here as they happen: waves starting, gates passing, releases finishing, pauses and rollbacks."
        />
      ) : (
        <Table
          size="small"
          data-testid="glidepath-plan-timeline"
          style={{ tableLayout: 'fixed', width: '100%' }}
        >
          <TableHead>
            <TableRow>
              <TableCell style={{ width: '22%' }}>When</TableCell>
              <TableCell style={{ width: 72, whiteSpace: 'nowrap' }}>
                Wave
              </TableCell>
              <TableCell>What happened</TableCell>
              <TableCell style={{ width: '18%' }}>By</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {events.map((event, i) => (
              <TableRow key={`${event.at}-${i}`}>
                <TableCell>{formatTime(event.at)}</TableCell>
                <TableCell>
                  {event.wave === null ? '—' : event.wave + 1}
                </TableCell>
                <TableCell style={{ overflowWrap: 'anywhere' }}>
                  {event.entityRef &&
                    !event.message.includes(event.entityRef) && (
                      <Typography
                        variant="body2"
                        component="span"
                        style={{ fontWeight: 500 }}
                      >
                        {shortRef(event.entityRef)}:{' '}
                      </Typography>
                    )}
                  {readableRefs(event.message)}
                </TableCell>
                <TableCell>
                  {event.actor ? (
                    <ActorName actor={event.actor} />
                  ) : (
                    'Glidepath'
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

function OverrideText(props: { title: string; override: PlanOverride }) {
  const { title, override } = props;
  return (
    <div data-testid="glidepath-plan-override">
      <Typography variant="subtitle2">{title}</Typography>
      <Typography variant="body2">
        <ActorName actor={override.by} />, {formatTime(override.at)}: “
        {override.reason}”
      </Typography>
      {override.problems.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {override.problems.map(problem => (
            <li key={problem}>
              <Typography variant="body2">{problem}</Typography>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The overrides recorded with the plan: planned despite problems, released during a freeze. */
export function PlanOverrides(props: {
  override: PlanOverride | null;
  freezeOverride: PlanOverride | null;
}) {
  const { override, freezeOverride } = props;
  return (
    <InfoCard title="Overrides">
      {!override && !freezeOverride ? (
        <Typography variant="body2" color="textSecondary">
          None: the plan keeps to the dependency order, the version requirements
          and the freeze windows.
        </Typography>
      ) : (
        <>
          {override && (
            <OverrideText
              title="Planned despite these problems"
              override={override}
            />
          )}
          {freezeOverride && (
            <div style={{ marginTop: override ? 16 : 0 }}>
              <OverrideText
                title="Releases during freezes"
                override={freezeOverride}
              />
            </div>
          )}
        </>
      )}
    </InfoCard>
  );
}
