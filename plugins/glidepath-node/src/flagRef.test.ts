import { splitFlagRef } from './flagRef';

describe('splitFlagRef', () => {
  it.each([
    ['checkout', { name: 'checkout', filters: [] }],
    [
      'checkout?tags=cart',
      { name: 'checkout', filters: [{ key: 'tags', value: 'cart' }] },
    ],
    [
      'default?tags=simple:cart&tags=a%20b&env=prod',
      {
        name: 'default',
        filters: [
          { key: 'tags', value: 'simple:cart' },
          { key: 'tags', value: 'a b' },
          { key: 'env', value: 'prod' },
        ],
      },
    ],
    ['x?tags', { name: 'x', filters: [{ key: 'tags', value: '' }] }],
    [
      'x?tags=%E0%A4%A',
      { name: 'x', filters: [{ key: 'tags', value: '%E0%A4%A' }] },
    ],
    ['?tags=a', { name: '', filters: [{ key: 'tags', value: 'a' }] }],
  ])('%j', (ref, expected) => {
    expect(splitFlagRef(ref)).toEqual(expected);
  });
});
