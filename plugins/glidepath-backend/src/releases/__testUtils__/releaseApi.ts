import { mockCredentials } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { FakeRolloutProvider } from '../../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../../__testUtils__/glidepathTestBackend';

/* A backend with three entities for the release API's tests: checkout (a
 * canary of the fake provider, which only its owner may steer), broken
 * (invalid annotations) and elsewhere (an unknown provider). */

export const OWNER = 'user:default/owner';
export const OTHER = 'user:default/other';
export const owner = mockCredentials.user.header(OWNER);
export const other = mockCredentials.user.header(OTHER);

/**
 * Returns the setup of a test's backend; registers that the backends it
 * started stop after each test.
 */
export function releaseApiBackends() {
  const running: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map(stop => stop()));
  });
  return async function setup(
    options: {
      config?: JsonObject;
      /** A permission policy that allows everything, to anyone. */
      allowAll?: boolean;
    } = {},
  ) {
    const provider = new FakeRolloutProvider();
    provider.setRelease('checkout');
    const entities = [
      component('checkout', 'group:default/team-checkout'),
      component('broken', 'group:default/team-checkout', {
        'glidepath.dev/rollout': 'no-colon-here',
        'glidepath.dev/strategy': 'sideways',
      }),
      component('elsewhere', 'group:default/team-checkout', {
        'glidepath.dev/rollout': 'spinnaker:elsewhere',
      }),
    ];
    const harness = await startGlidepathTestBackend({
      providers: [provider],
      entities,
      // Only the owner may act on checkout.
      allow: (user, resourceRef) =>
        options.allowAll ||
        (user === OWNER && resourceRef === 'component:default/checkout'),
      config: options.config,
    });
    running.push(harness.stop);
    await harness.sync();
    const summary = await request(harness.server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', owner);
    return {
      ...harness,
      provider,
      releaseId: summary.body.current?.id as string,
    };
  };
}

/** Waits until an action has finished and returns it. */
export async function waitForAction(
  server: Parameters<typeof request>[0],
  id: string,
) {
  for (let i = 0; i < 200; i++) {
    const res = await request(server)
      .get(`/api/glidepath/actions/${id}`)
      .set('Authorization', owner);
    if (res.body.state === 'succeeded' || res.body.state === 'failed')
      return res.body;
    await new Promise(r => setTimeout(r, 25));
  }
  throw new Error(`action ${id} did not finish`);
}
