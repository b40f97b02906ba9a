/**
 * The signal channel on which the backend announces changes to an entity's
 * releases and actions, so that open entity pages refresh without polling.
 * @public
 */
export function releaseSignalChannel(entityRef: string): string {
  return `glidepath:entity:${entityRef.toLocaleLowerCase('en-US')}`;
}

/** The message sent on an entity's release channel. @public */
export type ReleaseSignal = {
  type: 'release-updated' | 'action-updated' | 'analysis-recorded';
  entityRef: string;
  releaseId: string;
  actionId?: string;
};
