/*
 * The scopes a graph is asked for: the ref a query names, checked, and the
 * nodes that belong to a system, a domain or an owner.
 */
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  GraphScope,
  normalizeEntityRef,
} from '@glidepath/backstage-plugin-common';
import { quote } from '../shared/badInput';
import { entityKey, parseRefParameter } from '../shared/refs';
import { EntityIndex, isNodeKind } from './entityIndex';

/**
 * A graph node's ref as a request gives it (the `entity` parameter, a
 * proposed change's `entityRef`): a component or a resource, the field
 * named in a 400 otherwise.
 */
export function nodeRef(value: string, field: string): string {
  const ref = parseRefParameter(value, field, 'component');
  if (!isNodeKind(ref)) {
    throw new InputError(
      `${field} ${quote(value)} is a ${
        ref.split(':')[0]
      }: the graph is drawn around a component or a resource`,
    );
  }
  return ref;
}

export function scopeRef(
  value: string,
  kind: string,
  parameter: string,
): string {
  if (parameter === 'entity') return nodeRef(value, parameter);
  return parseRefParameter(
    value,
    parameter,
    kind,
    parameter === 'owner' ? ['group', 'user'] : [kind],
  );
}

function relatedTo(entity: Entity, type: string, ref: string): boolean {
  return (entity.relations ?? []).some(
    r => r.type === type && normalizeEntityRef(r.targetRef) === ref,
  );
}

/** The nodes in a scope: its members, or every node for the whole catalog. */
export function membersOf(
  index: EntityIndex,
  type: GraphScope['type'],
  ref: string | null,
): string[] {
  const nodes = index.nodeRefs();
  switch (type) {
    case 'system':
      return nodes.filter(n => relatedTo(index.get(n)!, 'partOf', ref!));
    case 'domain': {
      const systems = new Set(
        [...index.entities.values()]
          .filter(e => e.kind.toLocaleLowerCase('en-US') === 'system')
          .filter(e => relatedTo(e, 'partOf', ref!))
          .map(entityKey),
      );
      return nodes.filter(n =>
        (index.get(n)!.relations ?? []).some(
          r =>
            r.type === 'partOf' && systems.has(normalizeEntityRef(r.targetRef)),
        ),
      );
    }
    case 'owner':
      return nodes.filter(n => relatedTo(index.get(n)!, 'ownedBy', ref!));
    default:
      return nodes;
  }
}
