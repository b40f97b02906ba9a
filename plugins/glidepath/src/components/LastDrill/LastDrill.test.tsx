import { screen } from '@testing-library/react';
import type { Drill } from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { renderForEntity } from '../../__testUtils__/render';
import { checkoutService } from '../../__testUtils__/releases';
import { LastDrill } from './LastDrill';

const minutesAgo = (m: number) =>
  new Date(Date.now() - m * 60_000).toISOString();

const recovered: Drill = {
  id: 'd1',
  entityRef: 'component:default/checkout-service',
  environment: 'staging',
  fault: 'latency',
  gameDayId: null,
  provider: 'sandbox',
  simulated: true,
  reason: 'x',
  requestedBy: { kind: 'user', ref: 'user:default/ada' },
  requestedAt: minutesAgo(200),
  productionOverride: null,
  state: 'recovered',
  stateReason: null,
  releaseId: 'r',
  version: '2.4.0',
  injectedAt: minutesAgo(185),
  detectedAt: minutesAgo(184),
  rollbackDecidedAt: null,
  rolledBackAt: null,
  healthyAt: minutesAgo(183),
  notifiedAt: null,
  timeToDetectSeconds: 35,
  timeToRecoverSeconds: 100,
  finishedAt: minutesAgo(183),
};

describe('LastDrill', () => {
  it("says the service's last drill with its times to detect and recover", async () => {
    const api = fakeGlidepathApi({
      listEntityDrills: jest.fn(async () => ({ items: [recovered] })),
    });
    await renderForEntity(<LastDrill entity={checkoutService} />, { api });
    expect(
      await screen.findByText(
        'Last drill 3h ago (latency fault in staging): detected in 35s, healthy again after 1m 40s',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('glidepath-simulated')).toBeInTheDocument();
    expect(api.listEntityDrills).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'checkout-service' },
      { limit: 1 },
    );
  });

  it('says when there was none, and when it cannot load', async () => {
    await renderForEntity(<LastDrill entity={checkoutService} />, {
      api: fakeGlidepathApi(),
    });
    expect(
      await screen.findByText('No rollback drill yet.'),
    ).toBeInTheDocument();
  });

  it('says when it cannot load', async () => {
    await renderForEntity(<LastDrill entity={checkoutService} />, {
      api: fakeGlidepathApi({
        listEntityDrills: async () => {
          throw new Error('offline');
        },
      }),
    });
    expect(
      await screen.findByText(
        'Could not load the last rollback drill: offline',
      ),
    ).toBeInTheDocument();
  });
});
