import { c, indexOf, latest, SHOP } from './__testUtils__/graphFixtures';
import { checkChanges } from './checkChanges';

describe('checkChanges', () => {
  const index = indexOf(SHOP);
  const running = [
    latest('payments', '2.3.0', 'succeeded', { previousVersion: '2.2.0' }),
  ];
  it.each([
    ['a rollback below the range', '2.2.0', 1, 0],
    ['a release above it', '3.0.0', 1, 0],
    ['a version inside it', '2.9.9', 0, 0],
    ['a version that is not semver', 'deadbeef', 0, 1],
  ])('%s', (_, version, broken, unknown) => {
    const result = checkChanges(index, running, [
      { entityRef: c('payments'), version },
    ]);
    expect([result.broken.length, result.unknown.length]).toEqual([
      broken,
      unknown,
    ]);
  });

  it('says which requirement breaks and what runs now', () => {
    const result = checkChanges(index, running, [
      { entityRef: c('payments'), version: '2.2.0' },
    ]);
    expect(result.broken).toEqual([
      {
        from: c('checkout'),
        to: c('payments'),
        range: '>=2.3.0 <3',
        text: 'payments@>=2.3.0 <3',
        proposedVersion: '2.2.0',
        currentVersion: '2.3.0',
        environment: 'production',
        alreadyBroken: false,
        message:
          'component:default/checkout requires payments@>=2.3.0 <3: 2.2.0 does not satisfy >=2.3.0 <3',
      },
    ]);
    expect(result.blastRadius).toEqual([c('checkout'), c('web')]);
  });

  it('orders the changes dependencies first and names unknown entities', () => {
    const result = checkChanges(
      index,
      [],
      [
        { entityRef: c('web'), version: '1.0.0' },
        { entityRef: c('payments'), version: '2.5.0' },
        { entityRef: c('nobody'), version: '1.0.0' },
      ],
    );
    expect(result.releaseOrder).toEqual({
      layers: [[c('payments')], [c('web')]],
      cycles: [],
    });
    expect(result.missing).toEqual([c('nobody')]);
  });
});
