import { useState } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  ActionType,
  permissionForAction,
  Release,
  ReleaseSignal,
} from '@glidepath/backstage-plugin-common';
import {
  actionLabel,
  orderActions,
  permissionRefusal,
} from '../../lib/actions';
import { entityOwnerRef, entitySubject } from '../../lib/entity';
import { ActionDialog } from '../ActionDialog';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
  },
  destructive: {
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
}));

type Group = { permission: string; actions: ActionType[] };

/** Consecutive actions that need the same permission share one check. */
function groupByPermission(actions: ActionType[]): Group[] {
  const groups: Group[] = [];
  for (const action of actions) {
    const permission = permissionForAction(action).name;
    const last = groups[groups.length - 1];
    if (last && last.permission === permission) {
      last.actions.push(action);
    } else {
      groups.push({ permission, actions: [action] });
    }
  }
  return groups;
}

function ActionGroup(props: {
  actions: ActionType[];
  entity: Entity;
  onSelect: (action: ActionType) => void;
}) {
  const { actions, entity, onSelect } = props;
  const classes = useStyles();
  const entityRef = stringifyEntityRef(entity);
  const { allowed, loading, error } = usePermission({
    permission: permissionForAction(actions[0]),
    resourceRef: entityRef,
  });
  const owner = entityOwnerRef(entity);
  const subject = entitySubject(entity);
  const reasonId = `glidepath-refusal-${actions.join('-')}`;

  let reason: string | undefined;
  if (error) {
    reason = `Could not check whether you may act on this ${subject}: ${error.message}`;
  } else if (!loading && !allowed) {
    reason = permissionRefusal(actions, subject, owner);
  }

  return (
    <>
      {actions.map(action => {
        const label = actionLabel(action);
        const button = (
          <Button
            variant={action === 'promote' ? 'contained' : 'outlined'}
            color="primary"
            className={
              action === 'rollback' && allowed ? classes.destructive : undefined
            }
            disabled={!allowed}
            aria-describedby={reason ? reasonId : undefined}
            data-testid={`glidepath-action-${action}`}
            onClick={() => onSelect(action)}
          >
            {label}
          </Button>
        );
        return reason ? (
          <Tooltip
            key={action}
            title={error ? reason : permissionRefusal([action], subject, owner)}
          >
            {/* A disabled button fires no events; the span shows the tooltip. */}
            <span>{button}</span>
          </Tooltip>
        ) : (
          <span key={action}>{button}</span>
        );
      })}
      {reason && (
        <Typography
          id={reasonId}
          variant="caption"
          color="textSecondary"
          component="p"
          style={{ flexBasis: '100%' }}
          data-testid="glidepath-permission-refusal"
        >
          {reason}
        </Typography>
      )}
    </>
  );
}

/**
 * A button for each action the current release's phase admits, in a fixed
 * order, enabled when the user has the permission the action needs, each
 * opening a confirmation dialog.
 */
export function ActionButtons(props: {
  entity: Entity;
  release: Release;
  allowedActions: ActionType[];
  lastSignal: ReleaseSignal | null;
  onChanged: () => void;
}) {
  const { entity, release, allowedActions, lastSignal, onChanged } = props;
  const classes = useStyles();
  // The release as it was when the dialog opened, so that its text does not
  // change under the reader while the action runs.
  const [open, setOpen] = useState<{
    action: ActionType;
    release: Release;
    key: number;
  }>();
  const actions = orderActions(allowedActions);
  // The dialog stays open when the finished action leaves no action to
  // offer (a rolled back release), so that its result can be read.
  if (actions.length === 0 && !open) {
    return null;
  }
  return (
    <Box
      className={classes.row}
      role="group"
      aria-label="Release actions"
      data-testid="glidepath-actions"
    >
      {groupByPermission(actions).map(group => (
        <ActionGroup
          key={group.actions.join('-')}
          actions={group.actions}
          entity={entity}
          onSelect={action => setOpen({ action, release, key: Date.now() })}
        />
      ))}
      {open && (
        <ActionDialog
          key={open.key}
          action={open.action}
          release={open.release}
          entityName={entity.metadata.name}
          lastSignal={lastSignal}
          onClose={() => setOpen(undefined)}
          onChanged={onChanged}
        />
      )}
    </Box>
  );
}
