import type {
  Actor,
  ProviderStatus,
  Release,
} from '@glidepath/backstage-plugin-common';
import { formatTime } from './time';
import { makeAction } from '../__testUtils__/releases';
import {
  actorName,
  endingAction,
  staleMessage,
  strategyLabel,
  versionChange,
} from './releases';

describe('release helpers', () => {
  it.each<[Release['strategy'], string]>([
    ['canary', 'Canary'],
    ['blue_green', 'Blue-green'],
    ['rolling', 'Rolling'],
    ['shadow' as Release['strategy'], 'shadow'],
  ])('strategy %s is %s', (strategy, label) => {
    expect(strategyLabel(strategy)).toBe(label);
  });

  it.each<[string, Actor, string]>([
    [
      'a person by name',
      { kind: 'user', ref: 'user:default/ada', displayName: 'Ada' },
      'Ada',
    ],
    ['a policy by its ref', { kind: 'policy', ref: 'default' }, 'default'],
  ])('actor: %s', (_name, actor, name) => {
    expect(actorName(actor)).toBe(name);
  });

  it.each<[string | null, string]>([
    ['1.4.2', '1.4.2 → 1.5.0'],
    [null, '1.5.0'],
  ])('version after %s: %s', (previousVersion, text) => {
    expect(versionChange({ version: '1.5.0', previousVersion })).toBe(text);
  });

  const provider: ProviderStatus = {
    id: 'sandbox',
    registered: true,
    simulated: false,
    lastSyncedAt: '2025-03-01T10:05:00.000Z',
    stale: true,
    error: null,
  };
  it.each<[string, Partial<ProviderStatus>, string]>([
    [
      'when and why',
      { error: 'connection refused' },
      `Showing the last known state from ${formatTime(
        provider.lastSyncedAt,
      )}; the provider reported: connection refused`,
    ],
    [
      'when only',
      {},
      `Showing the last known state from ${formatTime(provider.lastSyncedAt)}`,
    ],
    ['neither', { lastSyncedAt: null }, 'Showing the last known state'],
    [
      'why, never read',
      { lastSyncedAt: null, error: 'the Rollout is InvalidSpec' },
      'Nothing was read for this entity yet; the provider reported: the Rollout is InvalidSpec',
    ],
  ])('stale provider: %s', (_name, overrides, text) => {
    expect(staleMessage({ ...provider, ...overrides })).toBe(text);
  });
});

describe('endingAction', () => {
  const release = { id: 'rel-1', phase: 'rolled_back' as const };
  it.each<[string, Parameters<typeof makeAction>[0][], string | undefined]>([
    ['none', [], undefined],
    [
      'the newest succeeded rollback of the release',
      [
        {
          id: 'a',
          action: 'rollback',
          state: 'succeeded',
          requestedAt: '2025-03-01T10:00:00.000Z',
        },
        {
          id: 'b',
          action: 'rollback',
          state: 'succeeded',
          requestedAt: '2025-03-01T10:05:00.000Z',
        },
        {
          id: 'c',
          action: 'rollback',
          state: 'failed',
          requestedAt: '2025-03-01T10:09:00.000Z',
        },
      ],
      'b',
    ],
    [
      'not another kind of action, nor another release',
      [
        { id: 'a', action: 'pause', state: 'succeeded' },
        { id: 'b', action: 'rollback', state: 'succeeded', releaseId: 'rel-2' },
      ],
      undefined,
    ],
  ])('%s', (_name, actions, expected) => {
    expect(
      endingAction(
        release,
        actions.map(a => makeAction(a)),
      )?.id,
    ).toBe(expected);
  });
});
