import type {
  RolloutProvider,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';
import type { ProviderTargets } from '../releases/ReleaseSync';
import { historyTargets } from './tasks';

const withHistory = {
  id: 'sandbox',
  readHistory: async () => ({ deployments: [], incidents: [] }),
} as unknown as RolloutProvider;
const withoutHistory = { id: 'argo' } as unknown as RolloutProvider;
const target = {
  entityRef: 'component:default/a',
  ref: 'a',
} as unknown as RolloutTarget;

describe('historyTargets', () => {
  const wait = { intervalMs: 1, attempts: 5 };

  it('waits for the catalog to give a provider with history its entities', async () => {
    const readings: ProviderTargets[][] = [
      [],
      [{ provider: withoutHistory, targets: [target] }],
      [
        { provider: withoutHistory, targets: [target] },
        { provider: withHistory, targets: [target] },
      ],
    ];
    const targetsByProvider = jest.fn(async () => readings.shift() ?? []);
    const groups = await historyTargets({
      targetsByProvider,
      targetsWait: wait,
    });
    expect(targetsByProvider).toHaveBeenCalledTimes(3);
    expect(groups.map(g => g.provider.id)).toEqual(['argo', 'sandbox']);
  });

  it('gives up after a while, with what there is', async () => {
    const targetsByProvider = jest.fn(async () => [
      { provider: withoutHistory, targets: [target] },
    ]);
    const groups = await historyTargets({
      targetsByProvider,
      targetsWait: wait,
    });
    expect(targetsByProvider).toHaveBeenCalledTimes(6);
    expect(groups.map(g => g.provider.id)).toEqual(['argo']);
  });
});
