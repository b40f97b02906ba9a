import request from 'supertest';
import {
  owner,
  releaseApiBackends,
  waitForAction,
} from './__testUtils__/releaseApi';

const setup = releaseApiBackends();

/*
 * A sync reads the provider, then writes what it read. When an action takes
 * effect in between, what it read is stale and must not be written over the
 * newer state (issue 25: a sync wrote a rolled-back release back to
 * progressing 0.1-0.5 s after the rollback).
 */
describe('a sync that read the provider before an action took effect', () => {
  it('leaves a rolled-back release rolled back', async () => {
    const { server, provider, releaseId, sync } = await setup();
    const held = provider.holdNextList();
    // The scheduled sync reads "progressing at 20%" and is slow to answer.
    const slowSync = sync();
    await held.read;

    const res = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'rollback-during-sync')
      .send({ action: 'rollback', reason: 'Error rate is up' });
    expect(res.status).toBe(202);
    expect((await waitForAction(server, res.body.id)).state).toBe('succeeded');

    held.answer();
    await slowSync;

    const release = await request(server)
      .get(`/api/glidepath/releases/${releaseId}`)
      .set('Authorization', owner);
    expect(release.body.release).toMatchObject({
      phase: 'rolled_back',
      canaryWeight: 0,
    });
    expect(
      release.body.events.map((e: { toPhase: string }) => e.toPhase),
    ).toEqual(['progressing', 'rolled_back']);
  });

  it('does not write a reading older than the one stored', async () => {
    const { server, provider, releaseId, sync } = await setup();
    const held = provider.holdNextList();
    const slowSync = sync();
    await held.read;
    // Readings are timed in milliseconds: make the next one a later one.
    await new Promise(resolve => setTimeout(resolve, 5));
    // Meanwhile the provider moves on and another sync records it.
    provider.setRelease('checkout', {
      currentStepIndex: 2,
      canaryWeight: 100,
      updatedAt: new Date('2026-11-27T10:05:00.000Z'),
    });
    await sync();
    held.answer();
    await slowSync;

    const release = await request(server)
      .get(`/api/glidepath/releases/${releaseId}`)
      .set('Authorization', owner);
    expect(release.body.release).toMatchObject({
      currentStepIndex: 2,
      canaryWeight: 100,
    });
  });
});

describe('a finished release', () => {
  it('stays finished when the provider reports it running again without an update since', async () => {
    const { server, provider, releaseId, sync } = await setup();
    const finishedAt = new Date('2026-11-27T10:10:00.000Z');
    provider.setRelease('checkout', {
      phase: 'succeeded',
      canaryWeight: 100,
      finishedAt,
      updatedAt: finishedAt,
    });
    await sync();
    // A provider that reconstructs an old state (no newer update).
    provider.setRelease('checkout', { updatedAt: finishedAt });
    await sync();
    let release = await request(server)
      .get(`/api/glidepath/releases/${releaseId}`)
      .set('Authorization', owner);
    expect(release.body.release.phase).toBe('succeeded');

    // A retry: the provider reports the release updated after it finished.
    provider.setRelease('checkout', {
      updatedAt: new Date('2026-11-27T10:20:00.000Z'),
    });
    await sync();
    release = await request(server)
      .get(`/api/glidepath/releases/${releaseId}`)
      .set('Authorization', owner);
    expect(release.body.release.phase).toBe('progressing');
  });
});
