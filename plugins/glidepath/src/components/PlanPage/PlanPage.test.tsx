import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { GlidepathApi } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { makeMember, makePlan, makeWave } from '../../__testUtils__/plans';
import { ALLOW, DENY, responseError } from '../../__testUtils__/render';
import { planRouteRef, releasesRouteRef } from '../../routes';
import { PLAN_REFRESH_MS, PlanDetails } from './PlanPage';

jest.setTimeout(20_000);

function render(
  api: GlidepathApi,
  authorize: typeof ALLOW | ((req: any) => typeof ALLOW) = ALLOW,
) {
  const apis: any[] = [
    [glidepathApiRef, api],
    mockApis.permission({ authorize }),
  ];
  return renderInTestApp(<PlanDetails planId="plan-1" />, {
    apis: apis as [],
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      '/glidepath/releases': releasesRouteRef,
      '/glidepath/plans/:planId': planRouteRef,
    },
  });
}

describe('the release plan page', () => {
  afterEach(() => jest.useRealTimers());

  it('shows the waves as columns with each member, what the plan waits for, the timeline and the overrides', async () => {
    const api = fakeGlidepathApi({ getPlan: async () => makePlan() });
    await render(api);
    expect(await screen.findByText('Checkout 2.0')).toBeInTheDocument();
    expect(screen.getByText('Running')).toBeInTheDocument();
    expect(
      screen.getByText(/1 of 3 waves done · 3 services/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('glidepath-plan-waiting')).toHaveTextContent(
      'Wave 2 waits for the soak time: 5 min after the wave completed',
    );

    const wave1 = screen.getByTestId('glidepath-plan-wave-1');
    const wave2 = screen.getByTestId('glidepath-plan-wave-2');
    const wave3 = screen.getByTestId('glidepath-plan-wave-3');
    expect(within(wave1).getByText('Done')).toBeInTheDocument();
    expect(within(wave1).getByText('Released')).toBeInTheDocument();
    expect(
      within(wave1).getByText('inventory-service').closest('a'),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/inventory-service/releases',
    );
    expect(within(wave1).getByText('2.0.0 to production')).toBeInTheDocument();
    expect(within(wave1).getByText('Release rel-inv')).toBeInTheDocument();
    expect(wave2).toHaveAttribute('aria-current', 'step');
    expect(within(wave2).getByText('Soaking · current')).toBeInTheDocument();
    expect(within(wave2).getByText('Releasing')).toBeInTheDocument();
    expect(within(wave2).getByText('checkout-service')).toBeInTheDocument();
    // The wave and its member have not started.
    expect(within(wave3).getAllByText('Not started')).toHaveLength(2);
    expect(within(wave3).getByText('storefront')).toBeInTheDocument();

    const timeline = screen.getByTestId('glidepath-plan-timeline');
    const rows = within(timeline).getAllByRole('row');
    // Newest first, after the header.
    expect(rows[1]).toHaveTextContent('inventory-service: Released 2.0.0');
    expect(rows[2]).toHaveTextContent('Wave 1 started');
    expect(
      screen.getByText(/None: the plan keeps to the dependency order/),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('glidepath-plan-simulation')).toBeNull();
  });

  it('labels a simulated plan as a simulation and lists its overrides', async () => {
    const api = fakeGlidepathApi({
      getPlan: async () =>
        makePlan({
          simulated: true,
          override: {
            by: { kind: 'user', ref: 'user:default/ada', displayName: 'Ada' },
            reason: 'cart 3 is backward compatible',
            at: '2026-12-07T09:59:00Z',
            problems: ['checkout-service requires cart-service >=3.0.0'],
          },
        }),
    });
    await render(api);
    expect(
      await screen.findByTestId('glidepath-plan-simulation'),
    ).toHaveTextContent('Simulation');
    const override = screen.getByTestId('glidepath-plan-override');
    expect(override).toHaveTextContent('Planned despite these problems');
    expect(override).toHaveTextContent('cart 3 is backward compatible');
    expect(override).toHaveTextContent(
      'checkout-service requires cart-service >=3.0.0',
    );
  });

  it('pauses with a reason and shows the plan the server returns', async () => {
    let plan = makePlan();
    const api = fakeGlidepathApi({
      getPlan: jest.fn(async () => plan),
      controlPlan: jest.fn(async () => {
        plan = makePlan({ state: 'paused', stateReason: 'Checking a graph' });
        return plan;
      }),
    });
    await render(api);
    const pause = await screen.findByRole('button', { name: 'Pause' });
    await waitFor(() => expect(pause).toBeEnabled());
    expect(screen.getByRole('button', { name: 'Resume' })).toBeDisabled();
    fireEvent.click(pause);
    const dialog = await screen.findByTestId('glidepath-plan-pause');
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: 'Checking a graph' },
    });
    fireEvent.click(within(dialog).getByTestId('glidepath-plan-pause-confirm'));
    expect(
      await screen.findByText('Paused: Checking a graph'),
    ).toBeInTheDocument();
    expect(api.controlPlan).toHaveBeenCalledWith('plan-1', 'pause', {
      reason: 'Checking a graph',
    });
    expect(screen.queryByTestId('glidepath-plan-pause')).toBeNull();
    expect(screen.getByRole('button', { name: 'Resume' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeDisabled();
  });

  it("keeps the dialog open with the server's refusal", async () => {
    const api = fakeGlidepathApi({
      getPlan: async () => makePlan(),
      controlPlan: jest.fn(async () => {
        throw await responseError(
          403,
          'Forbidden',
          'NotAllowedError',
          'glidepath.freeze.override is needed',
        );
      }),
    });
    await render(api);
    const override = await screen.findByRole('button', {
      name: 'Release during freeze',
    });
    await waitFor(() => expect(override).toBeEnabled());
    fireEvent.click(override);
    const dialog = await screen.findByTestId('glidepath-plan-freeze-override');
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: 'Hotfix for INC-7' },
    });
    fireEvent.click(
      within(dialog).getByTestId('glidepath-plan-freeze-override-confirm'),
    );
    expect(
      await within(dialog).findByTestId('glidepath-plan-freeze-override-error'),
    ).toHaveTextContent('Not allowed: glidepath.freeze.override is needed');
    expect(api.controlPlan).toHaveBeenCalledWith('plan-1', 'freeze-override', {
      reason: 'Hotfix for INC-7',
    });
  });

  it('disables the controls, saying why, for those who may not use them', async () => {
    const api = fakeGlidepathApi({ getPlan: async () => makePlan() });
    await render(api, DENY);
    expect(
      await screen.findByText(
        /Only the owners of the plan's services or admins/,
      ),
    ).toBeInTheDocument();
    for (const name of ['Pause', 'Abort', 'Release during freeze']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
  });

  it('allows everything but the freeze override without glidepath.freeze.override', async () => {
    const api = fakeGlidepathApi({ getPlan: async () => makePlan() });
    await render(api, (req: any) =>
      req.permission.name === 'glidepath.freeze.override' ? DENY : ALLOW,
    );
    expect(
      await screen.findByText(
        'Releasing during a freeze needs glidepath.freeze.override.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeEnabled();
    expect(
      screen.getByRole('button', { name: 'Release during freeze' }),
    ).toBeDisabled();
  });

  it("lets a release manager who owns none of the plan's services release it during a freeze, as the backend does", async () => {
    const api = fakeGlidepathApi({ getPlan: async () => makePlan() });
    await render(api, (req: any) =>
      req.permission.name === 'glidepath.freeze.override' ? ALLOW : DENY,
    );
    expect(
      await screen.findByText(
        /Only the owners of the plan's services or admins/,
      ),
    ).toBeInTheDocument();
    for (const name of ['Pause', 'Abort']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
    expect(
      screen.getByRole('button', { name: 'Release during freeze' }),
    ).toBeEnabled();
  });

  it('shows no controls on a finished plan and what ended it', async () => {
    const api = fakeGlidepathApi({
      getPlan: async () =>
        makePlan({
          state: 'rolled_back',
          stateReason:
            'checkout-service failed its analysis; waves 1 and 2 rolled back',
          currentWave: null,
          finishedAt: '2026-12-07T10:20:00Z',
          waves: [
            makeWave({ state: 'rolled_back' }),
            makeWave({ index: 1, state: 'rolled_back' }),
            makeWave({
              index: 2,
              state: 'pending',
              startedAt: null,
              completedAt: null,
            }),
          ],
          members: [
            makeMember({
              state: 'rolled_back',
              rolledBackAt: '2026-12-07T10:19:00Z',
            }),
            makeMember({
              entityRef: 'component:default/checkout-service',
              wave: 1,
              state: 'failed',
              stateReason: 'Canary analysis failed: error rate 4%',
            }),
          ],
        }),
    });
    await render(api);
    expect(await screen.findByTestId('glidepath-plan')).toBeInTheDocument();
    // The plan's state, two waves' and a member's.
    expect(screen.getAllByText('Rolled back')).toHaveLength(4);
    expect(screen.getByText(/waves 1 and 2 rolled back$/)).toBeInTheDocument();
    expect(
      screen.getByText('Canary analysis failed: error rate 4%'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('glidepath-plan-controls')).toBeNull();
    expect(screen.queryByTestId('glidepath-plan-waiting')).toBeNull();
  });

  it('reads an active plan again every few seconds, and a finished one not', async () => {
    jest.useFakeTimers();
    const getPlan = jest.fn(async () => makePlan());
    await render(fakeGlidepathApi({ getPlan }));
    await act(async () => {
      await Promise.resolve();
    });
    const first = getPlan.mock.calls.length;
    expect(first).toBeGreaterThanOrEqual(1);
    await act(async () => {
      jest.advanceTimersByTime(PLAN_REFRESH_MS + 10);
    });
    expect(getPlan.mock.calls.length).toBeGreaterThan(first);

    getPlan.mockClear();
    getPlan.mockImplementation(async () => makePlan({ state: 'succeeded' }));
    await act(async () => {
      jest.advanceTimersByTime(PLAN_REFRESH_MS + 10);
    });
    const afterFinish = getPlan.mock.calls.length;
    await act(async () => {
      jest.advanceTimersByTime(PLAN_REFRESH_MS * 3);
    });
    expect(getPlan.mock.calls.length).toBe(afterFinish);
  });

  it('says when there is no such plan, and shows other errors', async () => {
    const missing = fakeGlidepathApi({
      getPlan: async () => {
        throw await responseError(
          404,
          'Not Found',
          'NotFoundError',
          'No plan plan-1',
        );
      },
    });
    const { unmount } = await render(missing);
    expect(await screen.findByText('No such release plan')).toBeInTheDocument();
    expect(screen.getByText('All release plans').closest('a')).toHaveAttribute(
      'href',
      '/glidepath/releases?tab=plans',
    );
    unmount();

    await render(
      fakeGlidepathApi({
        getPlan: async () => {
          throw await responseError(
            500,
            'Internal Server Error',
            'Error',
            'database is down',
          );
        },
      }),
    );
    expect(
      await screen.findByText(/Could not load the release plan/),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await render(fakeGlidepathApi({ getPlan: () => new Promise(() => {}) }));
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });
});
