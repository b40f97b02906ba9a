import { useEffect, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Checklist,
  ChecklistItem,
  glidepathReleaseControlPermission,
  isTerminalPhase,
  phaseLabel,
  Release,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { entitySubject } from '../../lib/entity';
import { formatTime } from '../../lib/time';
import { ActorName } from '../ActorName';

/** Who last ticked or unticked the item, and when. */
function LastChange(props: { item: ChecklistItem }) {
  const { item } = props;
  if (item.checked && item.checkedBy && item.checkedAt) {
    return (
      <>
        Ticked by <ActorName actor={item.checkedBy} />{' '}
        {formatTime(item.checkedAt)}
      </>
    );
  }
  const last = item.history[item.history.length - 1];
  if (last) {
    return (
      <>
        Unticked by <ActorName actor={last.by} /> {formatTime(last.at)}
      </>
    );
  }
  return <>Not ticked yet</>;
}

function ItemDetails(props: { item: ChecklistItem }) {
  const { item } = props;
  return (
    <>
      {item.description && (
        <Typography variant="body2" color="textSecondary" component="span">
          {item.description}
        </Typography>
      )}
      <Typography variant="caption" display="block" component="span">
        {item.owner && (
          <>
            For <EntityRefLink entityRef={item.owner} defaultKind="group" />
            {' · '}
          </>
        )}
        <LastChange item={item} />
      </Typography>
    </>
  );
}

/**
 * A release's checklist on the Releases tab: progress, who ticked what and
 * when, and whether it holds the release before its final step. People who
 * may steer the entity's releases tick and untick items.
 */
export function ReleaseChecklist(props: {
  entity: Entity;
  checklist: Checklist;
  release: Release | null;
  onChanged: () => void;
}) {
  const { entity, release, onChanged } = props;
  const api = useApi(glidepathApiRef);
  // The checklist as the last change answered it, until the summary (which
  // refreshes on signals) brings a newer one.
  const [changed, setChanged] = useState<Checklist | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const { allowed, loading } = usePermission({
    permission: glidepathReleaseControlPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const shown = props.checklist.items
    .map(item => `${item.id}:${item.checked}`)
    .join();
  useEffect(() => setChanged(null), [props.checklist.id, shown]);
  const checklist =
    changed && changed.id === props.checklist.id ? changed : props.checklist;

  const bound = checklist.releaseId !== null;
  const finished =
    bound &&
    release?.id === checklist.releaseId &&
    isTerminalPhase(release.phase);
  const done = checklist.items.filter(item => item.checked).length;
  let readOnlyReason: string | undefined;
  if (!loading && !allowed) {
    readOnlyReason = `Only people who may steer this ${entitySubject(
      entity,
    )}'s releases can tick items.`;
  }

  const toggle = async (item: ChecklistItem) => {
    setSaving(item.id);
    setError(null);
    try {
      setChanged(
        await api.setChecklistItem(checklist.id, item.id, {
          checked: !item.checked,
        }),
      );
      onChanged();
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(null);
    }
  };

  return (
    <InfoCard
      title={checklist.title}
      subheader={
        bound
          ? `Release checklist of ${
              release?.id === checklist.releaseId
                ? release.version
                : 'this release'
            }`
          : 'Release checklist, waiting for the next release'
      }
    >
      <div data-testid="glidepath-checklist">
        <Box display="flex" alignItems="center" style={{ gap: 12 }} mb={1}>
          <Box flexGrow={1}>
            <LinearProgress
              variant="determinate"
              value={(done / Math.max(1, checklist.items.length)) * 100}
              aria-label="Checklist progress"
            />
          </Box>
          <Typography variant="body2">
            {done} of {checklist.items.length} done
          </Typography>
        </Box>
        {finished && release && (
          <Alert severity="info" data-testid="glidepath-checklist-gate">
            The release has finished ({phaseLabel(release.phase)}); items ticked
            now are kept with their time.
          </Alert>
        )}
        {!finished && checklist.gate.blocking && (
          <Alert severity="warning" data-testid="glidepath-checklist-gate">
            Holds promotion before the final step:{' '}
            {checklist.gate.openRequired.length} required{' '}
            {checklist.gate.openRequired.length === 1 ? 'item is' : 'items are'}{' '}
            open ({checklist.gate.openRequired.join(', ')}).
          </Alert>
        )}
        {!finished && !checklist.gate.blocking && (
          <Alert severity="success" data-testid="glidepath-checklist-gate">
            Every required item is ticked: the checklist does not hold the
            release.
          </Alert>
        )}
        {readOnlyReason && (
          <Typography
            variant="body2"
            color="textSecondary"
            style={{ marginTop: 8 }}
          >
            {readOnlyReason}
          </Typography>
        )}
        {error && (
          <Alert severity="error" style={{ marginTop: 8 }}>
            Could not change the item:{' '}
            {ResponseError.is(error)
              ? error.cause?.message || error.message
              : error.message}
          </Alert>
        )}
        <List dense>
          {checklist.items.map(item => {
            const labelId = `glidepath-checklist-item-${item.id}`;
            return (
              <ListItem key={item.id} disableGutters>
                <ListItemIcon>
                  <Checkbox
                    edge="start"
                    checked={item.checked}
                    disabled={
                      Boolean(readOnlyReason) || loading || saving !== null
                    }
                    onChange={() => toggle(item)}
                    inputProps={{ 'aria-labelledby': labelId }}
                    color="primary"
                  />
                </ListItemIcon>
                <ListItemText
                  id={labelId}
                  primary={
                    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                      <span>{item.title}</span>
                      <Chip
                        size="small"
                        variant="outlined"
                        label={item.required ? 'Required' : 'Optional'}
                      />
                    </Box>
                  }
                  secondary={<ItemDetails item={item} />}
                  secondaryTypographyProps={{ component: 'div' }}
                />
              </ListItem>
            );
          })}
        </List>
      </div>
    </InfoCard>
  );
}
