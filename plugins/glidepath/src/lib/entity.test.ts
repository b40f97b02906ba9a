import type { Entity } from '@backstage/catalog-model';
import { entityName, entityOwnerRef, entitySubject, shortRef } from './entity';

const base: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service' },
};

describe('entity helpers', () => {
  it('addresses the entity in lower-case kind and the default namespace', () => {
    expect(entityName(base)).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'checkout-service',
    });
  });

  it.each<[string, Entity, string | undefined]>([
    [
      'a short owner is a group',
      { ...base, spec: { owner: 'team-checkout' } },
      'group:default/team-checkout',
    ],
    [
      'a full ref stays',
      { ...base, spec: { owner: 'user:default/ada' } },
      'user:default/ada',
    ],
    [
      'the relation when there is no spec',
      { ...base, relations: [{ type: 'ownedBy', targetRef: 'group:ops/sre' }] },
      'group:ops/sre',
    ],
    ['nobody', base, undefined],
  ])('owner: %s', (_name, entity, owner) => {
    expect(entityOwnerRef(entity)).toBe(owner);
  });

  it('calls the entity by its type, else its kind', () => {
    expect(entitySubject({ ...base, spec: { type: 'service' } })).toBe(
      'service',
    );
    expect(entitySubject(base)).toBe('component');
  });

  it.each([
    ['component:default/checkout', 'checkout'],
    ['group:default/team-a', 'team-a'],
    ['component:shop/cart', 'shop/cart'],
  ])('shortRef %s', (ref, short) => {
    expect(shortRef(ref)).toBe(short);
  });
});
