import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import { pickerOptions, toCatalogFilter } from './entities';

const component = (name: string, title?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, ...(title && { title }), description: `${name} does` },
});

describe('toCatalogFilter', () => {
  it.each<[string, any, any]>([
    ['none', undefined, undefined],
    [
      'exists becomes "has the field"',
      [
        {
          kind: 'Component',
          'metadata.annotations.glidepath.dev/rollout': { exists: true },
        },
      ],
      [
        {
          kind: 'Component',
          'metadata.annotations.glidepath.dev/rollout': CATALOG_FILTER_EXISTS,
        },
      ],
    ],
    [
      'one filter object, values kept',
      { kind: ['Component', 'Resource'] },
      { kind: ['Component', 'Resource'] },
    ],
  ])('%s', (_name, filter, expected) => {
    expect(toCatalogFilter(filter)).toEqual(expected);
  });
});

describe('pickerOptions', () => {
  it('sorts by title, else name, ignoring case, and keeps the name beside a title', () => {
    const options = pickerOptions([
      component('web-storefront'),
      component('search-service'),
      component('zeta', 'Accounts'),
      component('api-gateway'),
      component('Billing'),
    ]);
    expect(options.map(o => [o.label, o.name])).toEqual([
      ['Accounts', 'zeta'],
      ['api-gateway', null],
      ['Billing', null],
      ['search-service', null],
      ['web-storefront', null],
    ]);
    expect(options[0]).toEqual({
      ref: 'component:default/zeta',
      label: 'Accounts',
      name: 'zeta',
      description: 'zeta does',
    });
  });
});
