import { readSandboxFlagRef, sandboxFlags } from './flags';

const DAY = 24 * 60 * 60 * 1000;
const firstSeen = new Date('2026-11-01T00:00:00Z');
const now = new Date('2026-11-01T12:00:00Z');
const REFS = [
  'cart-service',
  'checkout-service',
  'pricing-service',
  'payments-gateway',
  'search-service',
  'web-storefront',
  'identity-service',
  'ledger-service',
];

describe('sandboxFlags', () => {
  it('gives the same flags for the same seed, ref and time', () => {
    const a = sandboxFlags({
      seed: 'glidepath',
      ref: 'cart-service',
      firstSeen,
      now,
    });
    const b = sandboxFlags({
      seed: 'glidepath',
      ref: 'cart-service',
      firstSeen,
      now,
    });
    expect(a).toEqual(b);
    const other = sandboxFlags({
      seed: 'other',
      ref: 'cart-service',
      firstSeen,
      now,
    });
    expect(other.map(f => f.key)).not.toEqual(a.map(f => f.key));
  });

  it('gives each ref 5 to 8 flags with unique keys, under its project', () => {
    for (const ref of REFS) {
      const flags = sandboxFlags({ seed: 'glidepath', ref, firstSeen, now });
      expect(flags.length).toBeGreaterThanOrEqual(5);
      expect(flags.length).toBeLessThanOrEqual(8);
      expect(new Set(flags.map(f => f.key)).size).toBe(flags.length);
      for (const flag of flags) {
        expect(flag.key).toBe(`${ref}/${flag.name}`);
        expect(flag.project).toBe(ref);
        expect(flag.createdAt.getTime()).toBeLessThan(now.getTime());
        expect(flag.environments.map(e => e.environment)).toEqual([
          'development',
          'staging',
          'production',
        ]);
      }
    }
  });

  it('makes a demo of plausible flags: every type, old ones and new ones, launched, rolling out and forgotten', () => {
    const all = REFS.flatMap(ref =>
      sandboxFlags({ seed: 'glidepath', ref, firstSeen, now }),
    );
    const types = new Set(all.map(f => f.type));
    expect([...types].sort()).toEqual([
      'experiment',
      'kill-switch',
      'operational',
      'permission',
      'release',
    ]);
    const ageDays = (f: { createdAt: Date }) =>
      (now.getTime() - f.createdAt.getTime()) / DAY;
    const oldReleases = all.filter(
      f => f.type === 'release' && ageDays(f) > 40,
    );
    const newReleases = all.filter(
      f => f.type === 'release' && ageDays(f) < 30,
    );
    expect(oldReleases.length).toBeGreaterThan(2);
    expect(newReleases.length).toBeGreaterThan(2);
    const patterns = new Set(all.map(f => f.pattern));
    expect([...patterns].sort()).toEqual([
      'forgotten',
      'launched',
      'off',
      'rolling-out',
      'testing',
    ]);
    // A forgotten flag was last evaluated weeks ago (after it was made);
    // the others minutes ago.
    const minutesAgo = (f: (typeof all)[number]) =>
      (now.getTime() - (f.environments[0].lastEvaluatedAt as Date).getTime()) /
      60_000;
    const forgotten = all.filter(f => f.pattern === 'forgotten');
    expect(forgotten.length).toBeGreaterThan(0);
    expect(
      forgotten.filter(
        f =>
          (f.environments[0].lastEvaluatedAt as Date).getTime() <
          f.createdAt.getTime(),
      ),
    ).toEqual([]);
    expect(
      forgotten
        .filter(f => ageDays(f) > 80)
        .filter(f => minutesAgo(f) < 35 * 24 * 60),
    ).toEqual([]);
    expect(
      all.filter(f => f.pattern !== 'forgotten' && minutesAgo(f) >= 16),
    ).toEqual([]);
    // Rolling out: split in production, so no single variation there.
    const rolling = all.find(f => f.pattern === 'rolling-out')!;
    expect(rolling.environments[2]).toEqual(
      expect.objectContaining({
        enabled: true,
        summary: expect.stringMatching(/^on for \d+% \(gradual rollout\)$/),
      }),
    );
    expect(rolling.environments[2].servesEveryone).toBeUndefined();
  });

  it('ages the flags from when the sandbox first saw the ref, and adds a release flag every 9 days', () => {
    const later = new Date(firstSeen.getTime() + 30 * DAY);
    const before = sandboxFlags({
      seed: 'glidepath',
      ref: 'cart-service',
      firstSeen,
      now,
    });
    const after = sandboxFlags({
      seed: 'glidepath',
      ref: 'cart-service',
      firstSeen,
      now: later,
    });
    expect(
      after.slice(0, before.length).map(f => [f.key, f.createdAt]),
    ).toEqual(before.map(f => [f.key, f.createdAt]));
    const added = after.slice(before.length);
    expect(added.map(f => f.createdAt)).toEqual([
      new Date(firstSeen.getTime() + 9 * DAY),
      new Date(firstSeen.getTime() + 18 * DAY),
      new Date(firstSeen.getTime() + 27 * DAY),
    ]);
    expect(added.every(f => f.type === 'release')).toBe(true);
  });

  it('tags the flags with the ref’s tags filter', () => {
    expect(readSandboxFlagRef('checkout?tags=cart&tags=web')).toEqual({
      project: 'checkout',
      tags: ['cart', 'web'],
    });
    const flags = sandboxFlags({
      seed: 'glidepath',
      ref: 'checkout?tags=cart',
      firstSeen,
      now,
    });
    expect(
      flags.every(f => f.tags.join() === 'cart' && f.project === 'checkout'),
    ).toBe(true);
    expect(
      sandboxFlags({ seed: 'glidepath', ref: 'checkout', firstSeen, now })[0]
        .tags,
    ).toEqual(['simple:checkout']);
  });
});
