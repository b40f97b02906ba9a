import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';

const guest = mockCredentials.user.header('user:default/guest');

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

const owned = (entity: Entity, owner: string, title?: string): Entity => ({
  ...entity,
  metadata: { ...entity.metadata, ...(title && { title }) },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-checkout', namespace: 'default' },
  spec: { type: 'team', profile: { displayName: 'Checkout' }, children: [] },
};

describe('GET /releases?state=in_flight', () => {
  it('lists the releases in flight across the catalog, newest first, with their owners', async () => {
    const provider = new FakeRolloutProvider();
    provider.setRelease('cart', {
      startedAt: new Date('2026-12-06T10:00:00.000Z'),
    });
    provider.setRelease('checkout', {
      phase: 'paused',
      startedAt: new Date('2026-12-06T10:05:00.000Z'),
    });
    provider.setRelease('search', {
      phase: 'succeeded',
      canaryWeight: 100,
      finishedAt: new Date('2026-12-06T10:03:00.000Z'),
    });
    const h = await startGlidepathTestBackend({
      providers: [provider],
      entities: [
        owned(
          component('cart', 'group:default/team-checkout'),
          'group:default/team-checkout',
          'Shopping cart',
        ),
        owned(
          component('checkout', 'group:default/team-checkout'),
          'group:default/team-checkout',
        ),
        owned(
          component('search', 'group:default/team-search'),
          'group:default/team-search',
        ),
        team,
      ],
    });
    running.push(h.stop);
    await h.sync();

    const res = await request(h.server)
      .get('/api/glidepath/releases?state=in_flight')
      .set('Authorization', guest);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(
      res.body.items.map((i: any) => [
        i.release.entityRef,
        i.release.phase,
        i.entityTitle,
        i.owner,
      ]),
    ).toEqual([
      [
        'component:default/checkout',
        'paused',
        null,
        { ref: 'group:default/team-checkout', title: 'Checkout' },
      ],
      [
        'component:default/cart',
        'progressing',
        'Shopping cart',
        { ref: 'group:default/team-checkout', title: 'Checkout' },
      ],
    ]);

    const first = await request(h.server)
      .get('/api/glidepath/releases?state=in_flight&limit=1')
      .set('Authorization', guest);
    expect(first.body).toMatchObject({ total: 2, items: [{}] });
    expect(first.body.items[0].release.entityRef).toBe(
      'component:default/checkout',
    );

    const missing = await request(h.server)
      .get('/api/glidepath/releases')
      .set('Authorization', guest);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/state/);
  });
});
