import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  releaseSignalChannel,
  ReleaseSignal,
} from '@glidepath/backstage-plugin-common';

/**
 * Calls `onSignal` with each new message on the entity's release signal
 * channel, and returns the last message (null until one arrives; signals
 * are optional in an app). A new `onSignal` on a later render is used for
 * the next message; it does not re-run the last one.
 */
export function useReleaseSignal(
  entityRef: string,
  onSignal: (signal: ReleaseSignal) => void,
): ReleaseSignal | null {
  const onSignalRef = useRef(onSignal);
  onSignalRef.current = onSignal;
  const { lastSignal } = useSignal<ReleaseSignal>(
    releaseSignalChannel(entityRef),
  );
  useEffect(() => {
    if (lastSignal) {
      onSignalRef.current(lastSignal);
    }
  }, [lastSignal]);
  return lastSignal;
}
