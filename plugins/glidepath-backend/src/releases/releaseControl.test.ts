import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  OWNER,
  releaseApiBackends,
  waitForAction,
} from './__testUtils__/releaseApi';

const setup = releaseApiBackends();
// A static token's principal: the mock's service subject, external:test-service.
const ciJob = mockCredentials.service.header();

/*
 * Issue 25: a static external access token without restrictions got 202
 * for every action on any service, and could run drills and tick
 * checklists. Release control needs a person, unless config names the
 * service.
 */
describe('release control by a service', () => {
  it('is refused for a service acting on behalf of nobody, and audited', async () => {
    // The permission policy allows everyone: the refusal is Glidepath's own.
    const h = await setup({ allowAll: true });
    const action = await request(h.server)
      .post(`/api/glidepath/releases/${h.releaseId}/actions`)
      .set('Authorization', ciJob)
      .set('Idempotency-Key', 'ci-1')
      .send({ action: 'rollback', reason: 'Pipeline says so' });
    const drill = await request(h.server)
      .post('/api/glidepath/entities/component/default/checkout/drills')
      .set('Authorization', ciJob)
      .send({ fault: 'error-rate', reason: 'Game day' });
    const checklist = await request(h.server)
      .post('/api/glidepath/entities/component/default/checkout/checklists')
      .set('Authorization', ciJob)
      .set('Idempotency-Key', 'ci-2')
      .send({ title: 'Release 2.0.0', items: [{ title: 'Smoke test' }] });

    expect([action.status, drill.status, checklist.status]).toEqual([
      403, 403, 403,
    ]);
    expect(action.body.error.message).toBe(
      'Release control needs a person: external:test-service is a service acting on behalf of nobody. Call on behalf of a user, or list the service in glidepath.actions.allowedServices',
    );
    expect(h.provider.actionCalls).toEqual([]);
    expect(
      h.auditEvents
        .filter(e =>
          ['release-action', 'release-drill', 'release-checklist'].includes(
            e.eventId,
          ),
        )
        .map(e => [e.eventId, e.outcome]),
    ).toEqual([
      ['release-action', 'fail'],
      ['release-drill', 'fail'],
      ['release-checklist', 'fail'],
    ]);
  });

  it('is allowed for a plugin calling on behalf of a user (the scaffolder)', async () => {
    const h = await setup();
    const res = await request(h.server)
      .post(`/api/glidepath/releases/${h.releaseId}/actions`)
      .set(
        'Authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.user(OWNER),
          targetPluginId: 'glidepath',
        }),
      )
      .set('Idempotency-Key', 'template-1')
      .send({ action: 'rollback', reason: 'From the release checklist' });
    expect(res.status).toBe(202);
    expect(res.body.requestedBy).toEqual({ kind: 'user', ref: OWNER });
  });

  it('is allowed for a service named in glidepath.actions.allowedServices', async () => {
    const h = await setup({
      allowAll: true,
      config: {
        glidepath: { actions: { allowedServices: ['external:test-service'] } },
      },
    });
    const res = await request(h.server)
      .post(`/api/glidepath/releases/${h.releaseId}/actions`)
      .set('Authorization', ciJob)
      .set('Idempotency-Key', 'ci-1')
      .send({ action: 'rollback', reason: 'Pipeline says so' });
    expect(res.status).toBe(202);
    expect(res.body.requestedBy).toEqual({
      kind: 'service',
      ref: 'external:test-service',
    });
    expect((await waitForAction(h.server, res.body.id)).state).toBe(
      'succeeded',
    );
  });
});
