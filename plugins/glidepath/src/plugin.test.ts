import { glidepathPlugin } from './plugin';
import { glidepathApiRef } from './api';

describe('glidepathPlugin (legacy frontend system)', () => {
  it('provides the Glidepath API', () => {
    const apis = [...glidepathPlugin.getApis()];
    expect(apis.map(factory => factory.api.id)).toEqual([glidepathApiRef.id]);
    expect(glidepathApiRef.id).toBe('plugin.glidepath.service');
  });
});
