import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ActionType,
  ReleaseAction,
  ReleaseSignal,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../api';
import { isTerminalActionState } from '../lib/actions';
import { newIdempotencyKey } from '../lib/idempotencyKey';

/** How often a running action is re-read when no signal arrives. */
export const ACTION_POLL_MS = 1000;

/** The state of one action asked for from a confirmation dialog. */
export type ReleaseActionState = {
  /** Sends the request; ignored while one is in flight or once sent. */
  submit: (reason: string) => void;
  /** True while the request is in flight. */
  submitting: boolean;
  /** Why the request failed, when it did (the dialog stays open). */
  error?: Error;
  /** The action once the backend accepted it, updated until it finishes. */
  action?: ReleaseAction;
  /** The last error while following the action (it is still followed). */
  followError?: Error;
};

/** True when the server answered, so it certainly did not act. */
function isRefusal(error: unknown): boolean {
  return (
    ResponseError.is(error) && error.statusCode >= 400 && error.statusCode < 500
  );
}

/**
 * Asks for an action on a release and follows it to its end.
 *
 * One submission carries one Idempotency-Key. When it fails without a
 * definite answer (a network error, a 5xx), submitting the same reason
 * again reuses the key, so the backend acts at most once; after a refusal
 * (4xx), or with another reason, a new key is used.
 */
export function useReleaseAction(options: {
  releaseId: string;
  action: ActionType;
  lastSignal: ReleaseSignal | null;
  onFinished: (action: ReleaseAction) => void;
}): ReleaseActionState {
  const { releaseId, action: actionType, lastSignal, onFinished } = options;
  const api = useApi(glidepathApiRef);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const [action, setAction] = useState<ReleaseAction>();
  const [followError, setFollowError] = useState<Error>();

  const inFlight = useRef(false);
  const sent = useRef(false);
  const submission = useRef<{ reason: string; key: string }>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const submit = useCallback(
    (reason: string) => {
      // A ref, not state: a second click can arrive before React re-renders
      // the disabled button.
      if (inFlight.current || sent.current) {
        return;
      }
      inFlight.current = true;
      if (!submission.current || submission.current.reason !== reason) {
        submission.current = { reason, key: newIdempotencyKey() };
      }
      const { key } = submission.current;
      setSubmitting(true);
      setError(undefined);
      api
        .createReleaseAction(
          releaseId,
          { action: actionType, reason },
          { idempotencyKey: key },
        )
        .then(
          created => {
            sent.current = true;
            if (mounted.current) setAction(created);
          },
          (e: Error) => {
            if (isRefusal(e)) {
              submission.current = undefined;
            }
            if (mounted.current) setError(e);
          },
        )
        .finally(() => {
          inFlight.current = false;
          if (mounted.current) setSubmitting(false);
        });
    },
    [api, releaseId, actionType],
  );

  const actionId = action?.id;
  const finished = action ? isTerminalActionState(action.state) : false;

  const refreshAction = useCallback(() => {
    if (!actionId) return;
    api.getReleaseAction(actionId).then(
      latest => {
        if (!mounted.current) return;
        setFollowError(undefined);
        // Never step back: a slow answer must not undo a newer state.
        setAction(previous =>
          previous && isTerminalActionState(previous.state) ? previous : latest,
        );
      },
      (e: Error) => {
        if (mounted.current) setFollowError(e);
      },
    );
  }, [api, actionId]);

  useEffect(() => {
    if (!actionId || finished) {
      return undefined;
    }
    const timer = setInterval(refreshAction, ACTION_POLL_MS);
    return () => clearInterval(timer);
  }, [actionId, finished, refreshAction]);

  useEffect(() => {
    if (actionId && !finished && lastSignal?.actionId === actionId) {
      refreshAction();
    }
    // Follow each new message, not each change of the callbacks.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal]);

  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;
  useEffect(() => {
    if (action && finished) {
      onFinishedRef.current(action);
    }
    // Once per action, when it reaches its end.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionId, finished]);

  return { submit, submitting, error, action, followError };
}
