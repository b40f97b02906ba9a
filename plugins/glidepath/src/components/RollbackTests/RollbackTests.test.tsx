import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import type {
  RollbackGate,
  RollbackTest,
} from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import {
  checkoutService,
  makeRelease,
  makeSummary,
} from '../../__testUtils__/releases';
import {
  ALLOW,
  deferred,
  DENY,
  renderForEntity,
  responseError,
} from '../../__testUtils__/render';
import { ReleasesContent } from '../ReleasesContent';

// Rendering material-table is slow on a busy machine.
jest.setTimeout(20_000);

const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

const stagingRelease = makeRelease({
  id: 'rel-staging',
  environment: 'staging',
  version: '2.4.0',
  previousVersion: '2.3.1',
  phase: 'succeeded',
  canaryWeight: 100,
  finishedAt: '2025-03-01T10:00:00.000Z',
});
const productionRelease = makeRelease({
  id: 'rel-production',
  environment: 'production',
  version: '2.4.0',
  previousVersion: '2.3.1',
  phase: 'paused',
});

function rollbackTest(overrides: Partial<RollbackTest> = {}): RollbackTest {
  return {
    id: 'rbt-1',
    entityRef: 'component:default/checkout-service',
    environment: 'staging',
    version: '2.4.0',
    previousVersion: '2.3.1',
    releaseId: 'rel-staging',
    provider: 'sandbox',
    simulated: false,
    trigger: 'policy',
    requestedBy: { kind: 'policy', ref: 'rollback-tests' },
    reason: 'the release completed in staging',
    state: 'passed',
    stateReason: null,
    requestedAt: minutesAgo(14),
    rolledBackAt: minutesAgo(13),
    healthyAt: minutesAgo(13),
    finishedAt: minutesAgo(12),
    rollbackSeconds: 41,
    healthySeconds: 70,
    ...overrides,
  };
}

function gate(overrides: Partial<RollbackGate> = {}): RollbackGate {
  return {
    releaseId: 'rel-production',
    version: '2.4.0',
    mode: 'required',
    status: 'running',
    holds: true,
    message:
      'The rollback test of 2.4.0 in staging is running: waiting until 2.3.1 is healthy. Production waits at its first step until a test passes or someone allowed to steer the release overrides the gate with a reason',
    test: rollbackTest({ state: 'restoring', finishedAt: null }),
    override: null,
    ...overrides,
  };
}

function summary(options: {
  test?: RollbackTest | null;
  gate?: RollbackGate | null;
  staging?: typeof stagingRelease | null;
}) {
  const staging =
    options.staging === undefined ? stagingRelease : options.staging;
  return makeSummary({
    current: productionRelease,
    recent: [productionRelease],
    rollbackGate: options.gate ?? null,
    environments: [
      {
        name: 'staging',
        production: false,
        provider: 'sandbox',
        ref: 'cart-staging',
        current: staging,
        rollbackTest: options.test ?? null,
      },
      {
        name: 'production',
        production: true,
        provider: 'sandbox',
        ref: 'cart-service',
        current: productionRelease,
      },
    ],
  });
}

/** Another entity per permission test: usePermission caches decisions. */
function named(name: string): Entity {
  return {
    ...checkoutService,
    metadata: { ...checkoutService.metadata, name },
  };
}

async function stagingBox() {
  return screen.findByTestId('glidepath-rollback-test-staging');
}

describe("the environments card's rollback tests", () => {
  it('says how the latest test passed, with its time, under staging only', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        summary({ test: rollbackTest({ simulated: true }) }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const box = await stagingBox();
    expect(
      within(box).getByTestId('glidepath-rollback-test-sentence-staging'),
    ).toHaveTextContent(
      'Rollback tested 12 min ago: rolled back in 41 s, healthy again after 1 min 10 s, rolled forward again',
    );
    // Simulated, as simulated releases are labelled.
    expect(within(box).getByTestId('glidepath-simulated')).toBeInTheDocument();
    expect(box).toHaveTextContent(
      '2.4.0 → 2.3.1 and back · run by Glidepath when the release completed',
    );
    // Production has no test of its own.
    expect(
      screen.queryByTestId('glidepath-rollback-test-production'),
    ).not.toBeInTheDocument();
  });

  it.each([
    [
      'failed',
      rollbackTest({
        state: 'failed',
        stateReason: '2.3.1 did not become healthy',
        healthySeconds: null,
        finishedAt: minutesAgo(3),
      }),
      'Rollback test failed 3 min ago (rolled back in 41 s): 2.3.1 did not become healthy',
    ],
    [
      'running',
      rollbackTest({
        state: 'restoring',
        stateReason: 'waiting until 2.3.1 is healthy',
        healthySeconds: null,
        finishedAt: null,
      }),
      'Rollback test running (rolled back in 41 s): waiting until 2.3.1 is healthy',
    ],
    [
      'not run',
      rollbackTest({
        state: 'not_run',
        stateReason: 'the provider cannot roll a release forward',
        rollbackSeconds: null,
        healthySeconds: null,
      }),
      'Rollback test not run: the provider cannot roll a release forward',
    ],
    ['none', null, 'Rollback not tested yet'],
  ])('says a %s test in plain words', async (_state, test, text) => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => summary({ test }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const box = await stagingBox();
    expect(
      within(box).getByTestId('glidepath-rollback-test-sentence-staging'),
    ).toHaveTextContent(text);
    expect(
      within(box).queryByTestId('glidepath-simulated'),
    ).not.toBeInTheDocument();
  });

  it('runs a test with a reason and a fresh Idempotency-Key, then refreshes', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => summary({ test: null }),
      runRollbackTest: async () =>
        rollbackTest({ state: 'pending', trigger: 'manual' }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const user = userEvent.setup();
    const box = await stagingBox();
    const button = within(box).getByRole('button', { name: 'Test rollback' });
    await waitFor(() => expect(button).toBeEnabled());
    await user.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Glidepath rolls 2.4.0 back to 2.3.1 in staging, waits until it is healthy again, then rolls 2.4.0 forward. Production is not touched.',
    );
    const confirm = within(dialog).getByRole('button', {
      name: 'Test rollback',
    });
    expect(confirm).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      '  before the sale  ',
    );
    expect(confirm).toBeEnabled();
    const calls = api.getEntityReleaseSummary.mock.calls.length;
    await user.click(confirm);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.runRollbackTest).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'checkout-service' },
      { environment: 'staging', reason: 'before the sale' },
      { idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    );
    await waitFor(() =>
      expect(api.getEntityReleaseSummary.mock.calls.length).toBeGreaterThan(
        calls,
      ),
    );
  });

  it("shows the server's refusal in the dialog, and a new key after it", async () => {
    const refusal = await responseError(
      409,
      'Conflict',
      'ConflictError',
      'A rollback test of 2.4.0 is already running in staging',
    );
    const answer = deferred<RollbackTest>();
    let attempt = 0;
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => summary({ test: null }),
      runRollbackTest: async () => {
        attempt++;
        if (attempt === 1) throw refusal;
        return answer.promise;
      },
    });
    await renderForEntity(<ReleasesContent />, { api });
    const user = userEvent.setup();
    const box = await stagingBox();
    const button = within(box).getByRole('button', { name: 'Test rollback' });
    await waitFor(() => expect(button).toBeEnabled());
    await user.click(button);
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'drill',
    );
    const confirm = within(dialog).getByRole('button', {
      name: 'Test rollback',
    });
    await user.click(confirm);
    expect(
      await within(dialog).findByTestId('glidepath-rollback-test-dialog-error'),
    ).toHaveTextContent(
      'Conflict: A rollback test of 2.4.0 is already running in staging',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    // Sent again: the refusal means nothing was done, so a new key.
    await user.click(confirm);
    // While it is in flight the dialog cannot be confirmed twice.
    await waitFor(() => expect(confirm).toBeDisabled());
    const keys = api.runRollbackTest.mock.calls.map(
      call => call[2].idempotencyKey,
    );
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    answer.resolve(rollbackTest({ state: 'pending' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('disables the button with the reason while a test runs or nothing completed runs there', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        summary({
          test: rollbackTest({ state: 'rolling_back', finishedAt: null }),
        }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const box = await stagingBox();
    await waitFor(() =>
      expect(box).toHaveTextContent(
        'A rollback test of 2.4.0 is running in staging.',
      ),
    );
    expect(
      within(box).getByRole('button', { name: 'Test rollback' }),
    ).toBeDisabled();
  });

  it('disables the button for people who may not roll back, and says so', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => summary({ test: null }),
    });
    await renderForEntity(<ReleasesContent />, {
      api,
      entity: named('no-rollback-service'),
      authorize: request =>
        request.permission.name === 'glidepath.release.rollback' ? DENY : ALLOW,
    });
    const box = await stagingBox();
    await waitFor(() =>
      expect(box).toHaveTextContent(
        'Only people who may roll back this service can test its rollback.',
      ),
    );
    expect(
      within(box).getByRole('button', { name: 'Test rollback' }),
    ).toBeDisabled();
  });
});

describe('the production rollback gate on the Releases tab', () => {
  it('shows nothing without a gate', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => summary({ gate: null }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    await stagingBox();
    expect(
      screen.queryByTestId('glidepath-rollback-gate'),
    ).not.toBeInTheDocument();
  });

  it('says that production waits, and overrides the gate with a reason', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => summary({ gate: gate() }),
      overrideRollbackGate: async () =>
        gate({
          status: 'overridden',
          holds: false,
          override: {
            by: { kind: 'user', ref: 'user:default/ada', displayName: 'Ada' },
            reason: 'hotfix',
            at: '2025-03-01T10:10:00.000Z',
          },
        }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const user = userEvent.setup();
    const notice = await screen.findByTestId('glidepath-rollback-gate');
    expect(notice).toHaveTextContent(
      'Production waits for a passed rollback test',
    );
    expect(notice).toHaveTextContent(
      'The rollback test of 2.4.0 in staging is running: waiting until 2.3.1 is healthy.',
    );
    const button = within(notice).getByRole('button', {
      name: 'Override gate',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await user.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Let 2.4.0 go to production without a passed rollback test',
    );
    const confirm = within(dialog).getByRole('button', {
      name: 'Override gate',
    });
    expect(confirm).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      '   ',
    );
    expect(confirm).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'hotfix',
    );
    await user.click(confirm);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.overrideRollbackGate).toHaveBeenCalledWith('rel-production', {
      reason: 'hotfix',
    });
    expect(api.getEntityReleaseSummary.mock.calls.length).toBeGreaterThan(1);
  });

  it("shows the server's 403 in the override dialog", async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => summary({ gate: gate() }),
      overrideRollbackGate: async () => {
        throw await responseError(
          403,
          'Forbidden',
          'NotAllowedError',
          'You may not steer the releases of checkout-service',
        );
      },
    });
    await renderForEntity(<ReleasesContent />, { api });
    const user = userEvent.setup();
    const notice = await screen.findByTestId('glidepath-rollback-gate');
    const button = within(notice).getByRole('button', {
      name: 'Override gate',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await user.click(button);
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'hotfix',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Override gate' }),
    );
    expect(
      await within(dialog).findByTestId('glidepath-rollback-gate-dialog-error'),
    ).toHaveTextContent(
      'Not allowed: You may not steer the releases of checkout-service',
    );
  });

  it('shows who overrode the gate and why, without a button', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        summary({
          gate: gate({
            status: 'overridden',
            holds: false,
            message:
              'Ada let 2.4.0 go on without a passed rollback test: hotfix for the outage',
            override: {
              by: {
                kind: 'user',
                ref: 'user:default/ada',
                displayName: 'Ada',
              },
              reason: 'hotfix for the outage',
              at: '2025-03-01T10:10:00.000Z',
            },
          }),
        }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const notice = await screen.findByTestId('glidepath-rollback-gate');
    expect(notice).toHaveTextContent('Rollback gate overridden');
    expect(
      within(notice).getByTestId('glidepath-rollback-gate-overridden'),
    ).toHaveTextContent(/^Overridden by Ada .*: “hotfix for the outage”$/);
    expect(within(notice).getByRole('link', { name: 'Ada' })).toHaveAttribute(
      'href',
      '/catalog/default/user/ada',
    );
    expect(
      within(notice).queryByRole('button', { name: 'Override gate' }),
    ).not.toBeInTheDocument();
  });

  it.each([
    ['passed', 'Rollback tested before production'],
    ['failed', 'Rollback test failed'],
    ['missing', 'Rollback not tested'],
  ] as const)('titles a %s gate that does not hold', async (status, title) => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        summary({
          gate: gate({
            status,
            holds: false,
            mode: status === 'passed' ? 'required' : 'advisory',
          }),
        }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const notice = await screen.findByTestId('glidepath-rollback-gate');
    expect(
      within(notice).getByTestId('glidepath-rollback-gate-title'),
    ).toHaveTextContent(status === 'passed' ? title : `${title} (advisory)`);
    expect(
      within(notice).queryByRole('button', { name: 'Override gate' }),
    ).not.toBeInTheDocument();
  });

  it('disables the override for people who may not steer the releases', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => summary({ gate: gate() }),
    });
    await renderForEntity(<ReleasesContent />, {
      api,
      entity: named('no-control-service'),
      authorize: DENY,
    });
    const notice = await screen.findByTestId('glidepath-rollback-gate');
    await waitFor(() =>
      expect(notice).toHaveTextContent(
        "Only people who may steer this service's releases can override the gate.",
      ),
    );
    expect(
      within(notice).getByRole('button', { name: 'Override gate' }),
    ).toBeDisabled();
  });
});

describe('the Releases tab while its summary loads or fails', () => {
  it('shows neither rollback tests nor the gate until the summary is there, then both', async () => {
    const answer = deferred<ReturnType<typeof summary>>();
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: () => answer.promise,
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-rollback-gate'),
    ).not.toBeInTheDocument();
    answer.resolve(summary({ test: rollbackTest(), gate: gate() }));
    expect(await stagingBox()).toBeInTheDocument();
    expect(screen.getByTestId('glidepath-rollback-gate')).toBeInTheDocument();
  });

  it('shows the error panel instead when the summary fails', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () => {
        throw new Error('backend down');
      },
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(
      await screen.findByText(/Could not load the releases/),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-rollback-test-staging'),
    ).not.toBeInTheDocument();
  });
});
