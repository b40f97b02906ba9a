import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  PlanMemberState,
  PlanState,
} from '@glidepath/backstage-plugin-common';
import { MEMBER_STATE, PLAN_STATE } from '../../lib/plans';

function Tone(props: {
  tone: 'ok' | 'running' | 'pending' | 'warning' | 'error';
  children: string;
}) {
  switch (props.tone) {
    case 'ok':
      return <StatusOK>{props.children}</StatusOK>;
    case 'running':
      return <StatusRunning>{props.children}</StatusRunning>;
    case 'warning':
      return <StatusWarning>{props.children}</StatusWarning>;
    case 'error':
      return <StatusError>{props.children}</StatusError>;
    default:
      return <StatusPending>{props.children}</StatusPending>;
  }
}

/** A plan's state as a coloured status ("Rolling back"). */
export function PlanStateStatus(props: { state: PlanState }) {
  const { label, tone } = PLAN_STATE[props.state] ?? {
    label: props.state,
    tone: 'pending',
  };
  return <Tone tone={tone}>{label}</Tone>;
}

/** A plan member's state as a coloured status ("Released"). */
export function MemberStateStatus(props: { state: PlanMemberState }) {
  const { label, tone } = MEMBER_STATE[props.state] ?? {
    label: props.state,
    tone: 'pending',
  };
  return <Tone tone={tone}>{label}</Tone>;
}
