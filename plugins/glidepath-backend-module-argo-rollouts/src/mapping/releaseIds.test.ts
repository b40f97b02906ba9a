import { parseReleaseId } from './releaseIds';

describe('small readers', () => {
  it('reads release ids back', () => {
    expect(parseReleaseId('prod-eu/shop/checkout@31')).toEqual({
      cluster: 'prod-eu',
      namespace: 'shop',
      name: 'checkout',
      revision: 31,
    });
    expect(parseReleaseId('checkout-31')).toBeNull();
  });
});
