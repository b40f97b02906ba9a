import type { Actor } from '@glidepath/backstage-plugin-common';

/** An Actor as the stores keep it in a text column. */
export function toActorJson(actor: Actor): string {
  return JSON.stringify({
    kind: actor.kind,
    ref: actor.ref,
    ...(actor.displayName !== undefined && { displayName: actor.displayName }),
  });
}

/** Reads an Actor column back. */
export function readActor(json: string): Actor {
  return JSON.parse(json) as Actor;
}
