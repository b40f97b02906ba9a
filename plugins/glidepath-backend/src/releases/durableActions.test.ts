import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';

jest.setTimeout(60_000);

/*
 * Actions survive the death of the replica running them (issue 25: killed
 * between storing an action and finishing it, an action stayed running for
 * good and a retry with the same key returned it without running it).
 * A crash is what it leaves in the database: an action requested and never
 * taken up, or running under a lease that ran out.
 */

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const OWNER = 'user:default/owner';
const owner = mockCredentials.user.header(OWNER);
const checkout = component('checkout', 'group:default/team-checkout');

describe.each(databases.eachSupportedId())(
  'durable actions (%s)',
  databaseId => {
    let knex: Knex;
    const running: Array<() => Promise<void>> = [];
    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });
    afterEach(async () => {
      await Promise.all(running.splice(0).map(stop => stop()));
      await knex('release_actions').delete();
      await knex('release_events').delete();
      await knex('release_steps').delete();
      await knex('releases').delete();
    });

    /** A replica: a backend on the shared database and the shared provider. */
    async function replica(provider: FakeRolloutProvider) {
      const h = await startGlidepathTestBackend({
        providers: [provider],
        entities: [checkout],
        knex,
      });
      running.push(h.stop);
      return h;
    }

    async function started() {
      const provider = new FakeRolloutProvider();
      provider.setRelease('checkout');
      const h = await replica(provider);
      await h.sync();
      const [{ id: releaseId }] = await knex('releases').select('id');
      return { h, provider, releaseId: releaseId as string };
    }

    /** What a replica that died mid-action leaves behind. */
    async function leftBehind(
      releaseId: string,
      state: 'requested' | 'running',
      key = 'crashed',
    ) {
      const past = new Date(Date.now() - 60_000);
      const id = `action-${key}`;
      await knex('release_actions').insert({
        id,
        release_id: releaseId,
        entity_ref: 'component:default/checkout',
        action: 'rollback',
        reason: 'Error rate is up',
        state,
        requested_by: JSON.stringify({ kind: 'user', ref: OWNER }),
        idempotency_key: key,
        requested_at: past,
        started_at: state === 'running' ? past : null,
        finished_at: null,
        error: null,
        lease_owner: state === 'running' ? 'runner-that-died' : null,
        lease_expires_at:
          state === 'running' ? new Date(past.getTime() + 10_000) : null,
        attempts: state === 'running' ? 1 : 0,
      });
      return id;
    }

    async function finished(server: Parameters<typeof request>[0], id: string) {
      for (let i = 0; i < 400; i++) {
        const res = await request(server)
          .get(`/api/glidepath/actions/${id}`)
          .set('Authorization', owner);
        if (['succeeded', 'failed'].includes(res.body.state)) return res.body;
        await new Promise(r => setTimeout(r, 25));
      }
      throw new Error(`action ${id} did not finish`);
    }

    it('takes over an action whose runner died, and rolls back once', async () => {
      const { h, provider, releaseId } = await started();
      const id = await leftBehind(releaseId, 'running');
      await h.runTask('glidepath-action-sweep');
      expect(await finished(h.server, id)).toMatchObject({
        state: 'succeeded',
        error: null,
      });
      expect(provider.actionCalls.map(c => c.action)).toEqual(['rollback']);
      const row = await knex('release_actions').where({ id }).first();
      expect(Number(row.attempts)).toBe(2);
      expect(row.lease_owner).toBeNull();
      const [release] = await knex('releases').select('phase');
      expect(release.phase).toBe('rolled_back');
    });

    it('does not call the provider again when the runner died after its call', async () => {
      const { h, provider, releaseId } = await started();
      // The dead runner's rollback reached the provider.
      Object.assign(provider.releases.get('checkout')!, {
        phase: 'rolled_back',
        canaryWeight: 0,
        finishedAt: new Date(),
        updatedAt: new Date(),
      });
      const id = await leftBehind(releaseId, 'running');
      await h.runTask('glidepath-action-sweep');
      expect(await finished(h.server, id)).toMatchObject({
        state: 'succeeded',
      });
      expect(provider.actionCalls).toEqual([]);
      const audited = h.auditEvents.find(
        e => e.eventId === 'release-action-execution',
      );
      expect(audited).toMatchObject({
        outcome: 'success',
      });
    });

    it('runs an action that was stored but never taken up when its request is retried', async () => {
      const { h, provider, releaseId } = await started();
      const id = await leftBehind(releaseId, 'requested', 'retry-me');
      const retry = await request(h.server)
        .post(`/api/glidepath/releases/${releaseId}/actions`)
        .set('Authorization', owner)
        .set('Idempotency-Key', 'retry-me')
        .send({ action: 'rollback', reason: 'Error rate is up' });
      expect(retry.status).toBe(202);
      expect(retry.body.id).toBe(id);
      expect(await finished(h.server, id)).toMatchObject({
        state: 'succeeded',
      });
      expect(provider.actionCalls.map(c => c.action)).toEqual(['rollback']);
    });

    it('reaches the provider once for rollbacks sent to two replicas with different keys', async () => {
      const { h: first, provider, releaseId } = await started();
      const second = await replica(provider);
      const send = (server: Parameters<typeof request>[0], key: string) =>
        request(server)
          .post(`/api/glidepath/releases/${releaseId}/actions`)
          .set('Authorization', owner)
          .set('Idempotency-Key', key)
          .send({ action: 'rollback', reason: 'Error rate is up' });
      const answers = await Promise.all([
        send(first.server, 'replica-1'),
        send(second.server, 'replica-2'),
      ]);
      // The later request is refused when the release is rolled back by then,
      // or accepted and done without a second call when it is not yet.
      const accepted = answers.filter(a => a.status === 202);
      const refused = answers.filter(a => a.status !== 202);
      expect(
        refused.map(a => [a.status, /rolled back/.test(a.body.error.message)]),
      ).toEqual(refused.map(() => [409, true]));
      const results = await Promise.all(
        accepted.map(a => finished(first.server, a.body.id)),
      );
      expect(results.map(r => r.state)).toEqual(
        accepted.map(() => 'succeeded'),
      );
      expect(accepted.length).toBeGreaterThan(0);
      expect(provider.actionCalls.map(c => c.action)).toEqual(['rollback']);
    });
  },
);
