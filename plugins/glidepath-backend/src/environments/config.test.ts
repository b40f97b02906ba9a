import { ConfigReader } from '@backstage/config';
import { readGlidepathBackendConfig } from '../config';

const read = (glidepath?: object) =>
  readGlidepathBackendConfig(new ConfigReader(glidepath ? { glidepath } : {}));

describe('glidepath.environments', () => {
  it('is staging then production without config, and DORA counts production', () => {
    for (const config of [read(), read({ sync: {} })]) {
      expect(config.environments).toEqual([
        { name: 'staging', production: false },
        { name: 'production', production: true },
      ]);
      expect(config.dora.productionEnvironments).toEqual(['production']);
    }
  });

  it('reads the order and the production flags; DORA defaults to the production ones', () => {
    const config = read({
      environments: [
        { name: 'dev' },
        { name: 'prod-eu', production: true },
        { name: 'prod-us', production: true },
      ],
    });
    expect(config.environments).toEqual([
      { name: 'dev', production: false },
      { name: 'prod-eu', production: true },
      { name: 'prod-us', production: true },
    ]);
    expect(config.dora.productionEnvironments).toEqual(['prod-eu', 'prod-us']);
  });

  it('leaves an explicit DORA list as it is', () => {
    const config = read({
      environments: [{ name: 'live', production: true }],
      dora: { productionEnvironments: ['production'] },
    });
    expect(config.dora.productionEnvironments).toEqual(['production']);
  });

  it.each([
    [[], 'name at least one environment'],
    [[{ name: 'staging' }], 'mark at least one environment as production'],
    [[{ name: 'Prod', production: true }], '"Prod" is not an environment name'],
    [
      [{ name: 'prod', production: true }, { name: 'prod' }],
      '"prod" is named twice',
    ],
  ])('refuses %j, saying why', (environments, reason) => {
    expect(() => read({ environments })).toThrow(reason);
    expect(() => read({ environments })).toThrow('glidepath.environments');
  });
});
