import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  cachedUserDisplayNames,
  DISPLAY_NAME_TTL_MS,
  userDisplayName,
} from './caller';

function catalogWith(entity: Entity | undefined | Error) {
  return {
    getEntityByRef: jest.fn(async () => {
      if (entity instanceof Error) throw entity;
      return entity;
    }),
  };
}

const user = (spec: object, title?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'guest', ...(title && { title }) },
  spec,
});

describe('userDisplayName', () => {
  it.each<[string, Entity | undefined | Error, string | undefined]>([
    [
      'the profile display name',
      user({ profile: { displayName: 'Guest (Checkout team)' } }),
      'Guest (Checkout team)',
    ],
    ['else the title', user({}, 'Guest'), 'Guest'],
    [
      'nothing for a blank name',
      user({ profile: { displayName: ' ' } }),
      undefined,
    ],
    ['nothing for a user the catalog does not know', undefined, undefined],
    ['nothing when the catalog fails', new Error('catalog down'), undefined],
  ])('%s', async (_name, entity, expected) => {
    const catalog = catalogWith(entity);
    const credentials = mockCredentials.user('user:default/guest');
    expect(
      await userDisplayName(catalog, 'user:default/guest', credentials),
    ).toBe(expected);
    // Read with the person's own credentials.
    expect(catalog.getEntityByRef).toHaveBeenCalledWith('user:default/guest', {
      credentials,
    });
  });
});

describe('cachedUserDisplayNames', () => {
  it("reads a person's name once, again after a while, and keeps no failure", async () => {
    let now = 0;
    const catalog = catalogWith(user({}, 'Guest'));
    const name = cachedUserDisplayNames(catalog, () => now);
    const credentials = mockCredentials.user('user:default/guest');
    expect(await name('user:default/guest', credentials)).toBe('Guest');
    now += DISPLAY_NAME_TTL_MS - 1;
    expect(await name('user:default/guest', credentials)).toBe('Guest');
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    now += 1;
    expect(await name('user:default/guest', credentials)).toBe('Guest');
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);

    const failing = catalogWith(new Error('catalog down'));
    const unknown = cachedUserDisplayNames(failing, () => now);
    expect(await unknown('user:default/guest', credentials)).toBeUndefined();
    expect(await unknown('user:default/guest', credentials)).toBeUndefined();
    expect(failing.getEntityByRef).toHaveBeenCalledTimes(2);
  });
});
