import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { identityApiRef } from '@backstage/core-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  Drill,
  DrillTeamStatsList,
  GameDay,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { ALLOW, DENY, responseError } from '../../__testUtils__/render';
import { GameDaysPage } from './GameDaysPage';

jest.setTimeout(20_000);

const FACILITATOR = 'user:default/ada';

const drill = (patch: Partial<Drill> = {}): Drill => ({
  id: 'd1',
  entityRef: 'component:default/cart',
  environment: 'staging',
  fault: 'error-rate',
  gameDayId: 'g1',
  provider: 'sandbox',
  simulated: true,
  reason: 'Game day',
  requestedBy: { kind: 'user', ref: FACILITATOR },
  requestedAt: '2026-12-06T10:00:00.000Z',
  productionOverride: null,
  state: 'recovered',
  stateReason: '2.4.0 was rolled back',
  releaseId: 'r2',
  version: '2.4.0',
  injectedAt: '2026-12-06T10:01:00.000Z',
  detectedAt: '2026-12-06T10:01:40.000Z',
  rollbackDecidedAt: '2026-12-06T10:01:40.000Z',
  rolledBackAt: '2026-12-06T10:02:20.000Z',
  healthyAt: '2026-12-06T10:02:30.000Z',
  notifiedAt: '2026-12-06T10:01:40.000Z',
  timeToDetectSeconds: 40,
  timeToRecoverSeconds: 90,
  finishedAt: '2026-12-06T10:02:30.000Z',
  ...patch,
});

const gameDay = (patch: Partial<GameDay> = {}): GameDay => ({
  id: 'g1',
  title: 'Checkout game day',
  facilitator: FACILITATOR,
  participants: ['user:default/bo'],
  services: ['component:default/cart'],
  scheduledAt: '2026-12-06T10:00:00.000Z',
  hypothesis: 'Rolled back within 2 minutes, owners notified',
  hypothesisLimitSeconds: 120,
  hypothesisNeedsNotification: true,
  state: 'finished',
  faults: [
    {
      service: 'component:default/cart',
      fault: 'error-rate',
      environment: null,
      drill: drill(),
      hypothesis: {
        held: true,
        reasons: [
          'Recovered in 1 min 30 s, within 2 min',
          'Owners notified 40 s after the fault started',
        ],
      },
    },
  ],
  hypothesisHeld: true,
  outcome: null,
  productionOverride: null,
  createdBy: { kind: 'user', ref: FACILITATOR },
  createdAt: '2026-12-05T10:00:00.000Z',
  ...patch,
});

const teams: DrillTeamStatsList = {
  from: '2026-09-07T00:00:00.000Z',
  to: '2026-12-06T00:00:00.000Z',
  teams: [
    {
      teamRef: 'group:default/team-checkout',
      teamTitle: 'Checkout',
      drills: [drill()],
      medianDetectSeconds: 40,
      medianRecoverSeconds: 90,
      periods: [
        {
          from: '',
          to: '',
          drills: 1,
          medianDetectSeconds: 60,
          medianRecoverSeconds: 150,
        },
        {
          from: '',
          to: '',
          drills: 0,
          medianDetectSeconds: null,
          medianRecoverSeconds: null,
        },
        {
          from: '',
          to: '',
          drills: 1,
          medianDetectSeconds: 40,
          medianRecoverSeconds: 90,
        },
      ],
    },
  ],
};

function render(
  api = fakeGlidepathApi(),
  options: { user?: string; authorize?: typeof ALLOW } = {},
) {
  return renderInTestApp(<GameDaysPage />, {
    apis: [
      [glidepathApiRef, api],
      mockApis.permission({ authorize: options.authorize ?? DENY }),
      [
        identityApiRef,
        mockApis.identity({ userEntityRef: options.user ?? FACILITATOR }),
      ],
    ] as any,
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('the Game days page', () => {
  it("shows a game day's timeline per fault with its times to detect and recover, and the teams' medians and trend", async () => {
    const upcoming = gameDay({
      id: 'g2',
      title: 'Payments game day',
      state: 'scheduled',
      scheduledAt: '2030-01-01T10:00:00.000Z',
      faults: [
        {
          service: 'component:default/payments',
          fault: 'latency',
          environment: 'staging',
          drill: null,
          hypothesis: { held: null, reasons: ['The drill has not started'] },
        },
      ],
      hypothesisHeld: null,
    });
    const api = fakeGlidepathApi({
      listGameDays: async () => ({ items: [upcoming, gameDay()] }),
      getDrillTeamStats: async () => teams,
    });
    await render(api);
    const past = await screen.findByTestId('glidepath-game-days-past');
    expect(within(past).getByText('Checkout game day')).toBeInTheDocument();
    const fault = within(past).getByTestId('glidepath-game-day-fault');
    expect(
      within(fault).getByTestId('glidepath-game-day-detect'),
    ).toHaveTextContent('+40s');
    expect(
      within(fault).getByTestId('glidepath-game-day-recover'),
    ).toHaveTextContent('+1m 30s');
    expect(fault).toHaveTextContent('Recovered');
    expect(fault).toHaveTextContent('Held');
    expect(fault).toHaveTextContent('Recovered in 1 min 30 s, within 2 min');

    const soon = screen.getByTestId('glidepath-game-days-upcoming');
    expect(within(soon).getByText('Payments game day')).toBeInTheDocument();
    expect(soon).toHaveTextContent('At the game day’s time');
    // No outcome before the game day ran.
    expect(
      within(soon).queryByTestId('glidepath-game-day-outcome'),
    ).not.toBeInTheDocument();

    const team = await screen.findByTestId('glidepath-drill-team');
    expect(team).toHaveTextContent('40s');
    expect(team).toHaveTextContent('1m 30s');
    expect(team).toHaveTextContent('Faster: recovers in 1m 30s, was 2m 30s');
  });

  it('lets the facilitator write the outcome with follow-up links', async () => {
    const api = fakeGlidepathApi({
      listGameDays: async () => ({ items: [gameDay()] }),
      getDrillTeamStats: async () => teams,
      setGameDayOutcome: jest.fn(async () =>
        gameDay({
          outcome: {
            learnt: 'x',
            followUps: [],
            by: { kind: 'user', ref: FACILITATOR },
            at: '2026-12-06T11:00:00.000Z',
          },
        }),
      ),
    });
    await render(api);
    const button = await screen.findByRole('button', {
      name: 'Write the outcome',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/What was learnt/),
      'The pager went to the wrong channel',
    );
    const followUps = within(dialog).getByLabelText('Follow-ups');
    await userEvent.type(followUps, 'not a link');
    expect(dialog).toHaveTextContent('Follow-up 1 needs a link');
    expect(
      within(dialog).getByRole('button', { name: 'Save the outcome' }),
    ).toBeDisabled();
    await userEvent.clear(followUps);
    await userEvent.type(followUps, 'Fix the channel | https://tracker/GP-1');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save the outcome' }),
    );
    await waitFor(() =>
      expect(api.setGameDayOutcome).toHaveBeenCalledWith('g1', {
        learnt: 'The pager went to the wrong channel',
        followUps: [{ title: 'Fix the channel', url: 'https://tracker/GP-1' }],
      }),
    );
  });

  it('disables the outcome for others, saying who may write it; an admin may', async () => {
    const api = fakeGlidepathApi({
      listGameDays: async () => ({ items: [gameDay()] }),
      getDrillTeamStats: async () => teams,
    });
    await render(api, { user: 'user:default/guest' });
    const button = await screen.findByRole('button', {
      name: 'Write the outcome',
    });
    expect(
      await screen.findByText(
        /Only the facilitator or someone who may steer every service/,
      ),
    ).toBeInTheDocument();
    expect(button).toBeDisabled();
  });

  it('enables the outcome for someone who may steer every service (an admin)', async () => {
    const api = fakeGlidepathApi({
      listGameDays: async () => ({ items: [gameDay()] }),
      getDrillTeamStats: async () => teams,
    });
    await render(api, { user: 'user:default/admin', authorize: ALLOW });
    const button = await screen.findByRole('button', {
      name: 'Write the outcome',
    });
    await waitFor(() => expect(button).toBeEnabled());
  });

  it('says when there are no game days and no drills', async () => {
    const api = fakeGlidepathApi({
      listGameDays: async () => ({ items: [] }),
      getDrillTeamStats: async () => ({ ...teams, teams: [] }),
    });
    await render(api);
    expect(await screen.findByText('No game days yet')).toBeInTheDocument();
    expect(
      await screen.findByText('No drills in the last 90 days'),
    ).toBeInTheDocument();
  });

  it('shows the error when the game days cannot be loaded', async () => {
    const error = await responseError(
      500,
      'Internal Server Error',
      'Error',
      'database down',
    );
    const api = fakeGlidepathApi({
      listGameDays: async () => {
        throw error;
      },
      getDrillTeamStats: async () => teams,
    });
    await render(api);
    expect(await screen.findByText(/database down/)).toBeInTheDocument();
  });
});
