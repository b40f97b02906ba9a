import { screen } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { GlidepathApi } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makePlan } from '../../__testUtils__/plans';
import { checkoutService } from '../../__testUtils__/releases';
import { ALLOW, responseError } from '../../__testUtils__/render';
import { planRouteRef } from '../../routes';
import { EntityPlanCard } from './EntityPlanCard';

function render(api: GlidepathApi) {
  const apis: any[] = [
    [glidepathApiRef, api],
    mockApis.permission({ authorize: ALLOW }),
  ];
  return renderInTestApp(<EntityPlanCard entity={checkoutService} />, {
    apis: apis as [],
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      '/glidepath/plans/:planId': planRouteRef,
    },
  });
}

describe('the Release plan card', () => {
  it('shows the active plan the service is in, its wave and state, and links to it', async () => {
    const api = fakeGlidepathApi({
      getEntityPlans: jest.fn(async () => ({
        items: [
          makePlan({ simulated: true }),
          makePlan({ id: 'plan-0', title: 'Old plan', state: 'succeeded' }),
        ],
      })),
    });
    await render(api);
    const card = await screen.findByTestId('glidepath-entity-plan');
    expect(card).toHaveTextContent('Checkout 2.0');
    expect(screen.getByText('Checkout 2.0').closest('a')).toHaveAttribute(
      'href',
      '/glidepath/plans/plan-1',
    );
    expect(card).toHaveTextContent('1 of 3 waves done; now wave 2 of 3');
    expect(card).toHaveTextContent(
      'This service: 1.6.0 to production in wave 2 (soaking)',
    );
    expect(card).toHaveTextContent('Releasing');
    expect(card).toHaveTextContent(
      'Wave 2 waits for the soak time: 5 min after the wave completed',
    );
    expect(card).toHaveTextContent('Simulation');
    expect(card).not.toHaveTextContent('Old plan');
    expect(api.getEntityPlans).toHaveBeenCalledWith({
      kind: 'component',
      namespace: 'default',
      name: 'checkout-service',
    });
  });

  it('says quietly when the service is in no active plan', async () => {
    await render(
      fakeGlidepathApi({
        getEntityPlans: async () => ({
          items: [makePlan({ state: 'succeeded' })],
        }),
      }),
    );
    expect(
      await screen.findByText('Not part of an active release plan.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Checkout 2.0')).toBeNull();
  });

  it('shows progress, then an error', async () => {
    const { unmount } = await render(
      fakeGlidepathApi({ getEntityPlans: () => new Promise(() => {}) }),
    );
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    unmount();
    await render(
      fakeGlidepathApi({
        getEntityPlans: async () => {
          throw await responseError(
            500,
            'Internal Server Error',
            'Error',
            'boom',
          );
        },
      }),
    );
    expect(
      await screen.findByText(/Could not load the release plans/),
    ).toBeInTheDocument();
  });
});
