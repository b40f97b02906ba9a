import type { StrategyAnnotation } from '@glidepath/backstage-plugin-common';
import { SandboxFleet, type SandboxFleetOptions } from './fleet';
import { OPTIONS, S, T0 } from './__testUtils__/fleet';

/*
 * A fleet that catches up on days at once (a restart, a replica that first
 * lists a service later, both with the first sighting from the database)
 * must end where a fleet that followed every minute did.
 */

const MINUTE = 60 * S;
const HOUR = 60 * MINUTE;

const cases: Array<
  [string, Partial<SandboxFleetOptions>, StrategyAnnotation | undefined]
> = [
  ['a canary', {}, undefined],
  ['a canary waiting for promotes', { awaitPromotion: true }, undefined],
  ['a blue-green release', {}, { strategy: 'blue_green' }],
  ['a rolling update', { historySize: 1 }, { strategy: 'rolling' }],
  [
    'a single-step canary waiting for promotes',
    { awaitPromotion: true, historySize: 3 },
    { strategy: 'canary', weights: [100] },
  ],
  [
    'releases longer than the interval',
    { releaseIntervalMs: 60 * S, historySize: 2 },
    undefined,
  ],
];

describe('a fleet catching up', () => {
  it.each(cases)(
    'reports what a fleet that followed every minute reports, for %s',
    (_, overrides, strategy) => {
      const options = { ...OPTIONS, ...overrides };
      const service = { name: 'checkout', strategy };
      const following = new SandboxFleet(options);
      following.observe(service, new Date(T0));
      const late = new SandboxFleet(options);
      late.firstSeen('checkout', new Date(T0));
      const end = T0 + 2 * 24 * HOUR + 17 * S;
      for (let t = T0; t <= end; t += MINUTE) {
        following.observe(service, new Date(t));
      }
      expect(late.observe(service, new Date(end))).toEqual(
        following.observe(service, new Date(end)),
      );
      // and it carries on alike
      for (const t of [end + 90 * S, end + 3 * HOUR]) {
        expect(late.observe(service, new Date(t))).toEqual(
          following.observe(service, new Date(t)),
        );
      }
    },
  );

  it('catches up on a month quickly', () => {
    const fleet = new SandboxFleet(OPTIONS);
    for (let i = 0; i < 50; i++) fleet.firstSeen(`svc-${i}`, new Date(T0));
    const started = Date.now();
    for (let i = 0; i < 50; i++) {
      fleet.observe({ name: `svc-${i}` }, new Date(T0 + 30 * 24 * HOUR));
    }
    // Following every release of a month takes ~200 ms a service.
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
