import { ReactNode, useState } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  ActionType,
  ChecklistGate,
  checklistRefusal,
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
import { OwnerLink } from '../ActorName';

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

/** Why buttons are disabled, beside them: their accessible description. */
function Refusal(props: { id: string; testId: string; children: ReactNode }) {
  return (
    <Typography
      id={props.id}
      variant="caption"
      color="textSecondary"
      component="p"
      style={{ flexBasis: '100%' }}
      data-testid={props.testId}
    >
      {props.children}
    </Typography>
  );
}

function ActionGroup(props: {
  actions: ActionType[];
  entity: Entity;
  /** Actions the API refuses for a reason other than permission. */
  held: Partial<Record<ActionType, string>>;
  onSelect: (action: ActionType) => void;
}) {
  const { actions, entity, held, onSelect } = props;
  const classes = useStyles();
  const entityRef = stringifyEntityRef(entity);
  const { allowed, loading, error } = usePermission({
    permission: permissionForAction(actions[0]),
    resourceRef: entityRef,
  });
  const owner = entityOwnerRef(entity);
  const subject = entitySubject(entity);
  const reasonId = `glidepath-refusal-${actions.join('-')}`;
  const heldId = `glidepath-held-${actions.join('-')}`;
  const heldReason = actions.map(action => held[action]).find(Boolean);

  let reason: ReactNode;
  if (error) {
    reason = `Could not check whether you may act on this ${subject}: ${error.message}`;
  } else if (!loading && !allowed) {
    const { before, after } = permissionRefusal(actions, subject);
    reason = owner ? (
      <>
        {before} (<OwnerLink ownerRef={owner} />) {after}
      </>
    ) : (
      `${before} ${after}`
    );
  }

  return (
    <>
      {actions.map(action => {
        const label = actionLabel(action);
        const heldBy = held[action];
        const enabled = allowed && !heldBy;
        const button = (
          <Button
            key={action}
            variant={action === 'promote' && enabled ? 'contained' : 'outlined'}
            color="primary"
            className={
              action === 'rollback' && enabled ? classes.destructive : undefined
            }
            disabled={!enabled}
            aria-describedby={
              [reason && reasonId, heldBy && heldId]
                .filter(Boolean)
                .join(' ') || undefined
            }
            data-testid={`glidepath-action-${action}`}
            onClick={() => onSelect(action)}
          >
            {label}
          </Button>
        );
        // Why a button is disabled is written beside it (and is its
        // accessible description), so no tooltip repeats it over it.
        return button;
      })}
      {heldReason && (
        <Refusal id={heldId} testId="glidepath-checklist-refusal">
          {heldReason}
        </Refusal>
      )}
      {reason && (
        <Refusal id={reasonId} testId="glidepath-permission-refusal">
          {reason}
        </Refusal>
      )}
    </>
  );
}

/**
 * A button for each action the current release's phase admits, in a fixed
 * order, each opening a confirmation dialog. An action the API would refuse
 * for a known reason is disabled beforehand with the reason beside it: the
 * user lacks its permission, or the release checklist holds the release
 * before its final step (promote and resume).
 */
export function ActionButtons(props: {
  entity: Entity;
  release: Release;
  allowedActions: ActionType[];
  /** The release checklist's gate: promote and resume wait while it holds. */
  checklistGate?: ChecklistGate;
  lastSignal: ReleaseSignal | null;
  onChanged: () => void;
}) {
  const { entity, release, allowedActions, lastSignal, onChanged } = props;
  // What the API would refuse for a known reason besides permission: the
  // checklist holding the release's final step.
  const held: Partial<Record<ActionType, string>> = {};
  for (const action of allowedActions) {
    const refusal = checklistRefusal(release, action, props.checklistGate);
    if (refusal) {
      held[action] = refusal;
    }
  }
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
          held={held}
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
