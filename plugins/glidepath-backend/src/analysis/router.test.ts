import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startGlidepathTestBackend } from '../__testUtils__/glidepathTestBackend';

const owner = mockCredentials.user.header('user:default/owner');

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

describe('GET /policies/:policyName', () => {
  it('serves a rollback policy as the engine applies it, and 404 with the known ones for another', async () => {
    const h = await startGlidepathTestBackend({
      providers: [],
      entities: [],
      config: {
        glidepath: {
          analysis: {
            policies: {
              strict: {
                errorRate: { maxIncreasePercentagePoints: 0.5 },
                warmup: { seconds: 90 },
              },
            },
          },
        },
      },
    });
    running.push(h.stop);
    const strict = await request(h.server)
      .get('/api/glidepath/policies/strict')
      .set('Authorization', owner);
    expect(strict.status).toBe(200);
    expect(strict.body).toMatchObject({
      name: 'strict',
      warmupSeconds: 90,
      errorRate: { enabled: true, maxIncrease: 0.005 },
      latency: { enabled: true },
      burnRate: { enabled: true },
    });
    expect(strict.body.burnRate.windows).toHaveLength(2);
    const unknown = await request(h.server)
      .get('/api/glidepath/policies/fast')
      .set('Authorization', owner);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No rollback policy "fast" in glidepath.analysis.policies (known: default, strict)',
    );
  });
});
