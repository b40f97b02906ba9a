import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  Analysis,
  ReleaseDetail,
  releaseSignalChannel,
} from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import {
  makeAction,
  makeDetail,
  makeRelease,
} from '../../__testUtils__/releases';
import {
  escalationAnalysis,
  escalationPauseAction,
  holdAnalysis,
  makeAnalysis,
  makeProviderRun,
  passingAnalyses,
  policyRollbackAction,
  ROLLBACK_REASON,
  rollbackAnalyses,
} from '../../__testUtils__/analysis';
import {
  deferred,
  fakeSignals,
  renderForEntity,
  responseError,
} from '../../__testUtils__/render';
import { formatTime } from '../../lib/time';
import { AnalysisPanel } from './AnalysisPanel';

// Rendering on a busy machine can take a few seconds.
jest.setTimeout(20_000);

const channel = releaseSignalChannel('component:default/checkout-service');

function renderPanel(
  detail: ReleaseDetail | (() => Promise<ReleaseDetail>),
  signals?: ReturnType<typeof fakeSignals>,
) {
  const api = fakeGlidepathApi({
    getRelease: typeof detail === 'function' ? detail : async () => detail,
  });
  const release = typeof detail === 'function' ? makeRelease() : detail.release;
  return {
    api,
    rendered: renderForEntity(<AnalysisPanel release={release} />, {
      api,
      signals: signals?.api,
    }),
  };
}

function entries() {
  return within(
    screen.getByTestId('glidepath-analysis-timeline'),
  ).getAllByTestId('glidepath-analysis-entry');
}

describe('AnalysisPanel', () => {
  it('shows progress, then the latest verdict, decision and reason with a chart per rule', async () => {
    const detail = deferred<ReleaseDetail>();
    const { api, rendered } = renderPanel(() => detail.promise);
    await rendered;
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(api.getRelease).toHaveBeenCalledWith('rel-1');

    detail.resolve(makeDetail({ analyses: passingAnalyses }));
    expect(
      await screen.findByTestId('glidepath-analysis-verdict'),
    ).toHaveTextContent('Pass');
    expect(screen.getByTestId('glidepath-analysis-decision')).toHaveTextContent(
      'Promote',
    );
    expect(screen.getByTestId('glidepath-analysis-reason')).toHaveTextContent(
      'All rules pass with confidence after 1,200 canary requests; promoted past "Wait for a promotion".',
    );
    expect(screen.getByText('default')).toBeInTheDocument();
    expect(screen.getByText('prometheus')).toBeInTheDocument();
    expect(screen.queryByTestId('glidepath-simulated')).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-analysis-evidence'),
    ).not.toBeInTheDocument();

    for (const rule of ['error_rate', 'latency_p95', 'burn_rate_fast']) {
      expect(
        screen.getByTestId(`glidepath-analysis-chart-${rule}`),
      ).toBeInTheDocument();
    }
    expect(
      screen.queryByTestId('glidepath-analysis-chart-health_checks'),
    ).not.toBeInTheDocument();
    const errorRate = screen.getByTestId('glidepath-analysis-chart-error_rate');
    expect(within(errorRate).getByRole('heading')).toHaveTextContent(
      'Error rate',
    );
    expect(errorRate).toHaveTextContent(
      "Canary error rate minus the baseline's, percentage points",
    );
    expect(
      within(errorRate).getByRole('img', {
        name: /^Error rate, 3 evaluations: latest .* against a limit of \+1\.00 pp\.$/,
      }),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByTestId('glidepath-analysis-chart-burn_rate_fast'),
      ).getByRole('heading'),
    ).toHaveTextContent('Error budget burn (1 h / 5 min)');
  });

  it('explains an automatic rollback in a sentence, with the failing evidence', async () => {
    const { rendered } = renderPanel(
      makeDetail({
        release: makeRelease({ phase: 'rolled_back', canaryWeight: 0 }),
        analyses: rollbackAnalyses,
        actions: [policyRollbackAction],
      }),
    );
    await rendered;
    const reason = await screen.findByTestId('glidepath-analysis-reason');
    expect(reason).toHaveTextContent('Rolled back automatically');
    expect(reason).toHaveTextContent(ROLLBACK_REASON);
    expect(reason).toHaveTextContent(
      `Requested by Policy default at ${formatTime(
        policyRollbackAction.requestedAt,
      )}; the rollback succeeded.`,
    );
    expect(screen.getByTestId('glidepath-analysis-verdict')).toHaveTextContent(
      'Fail',
    );
    // The release has ended: no decision that no longer applies.
    expect(screen.getByTestId('glidepath-analysis-ended')).toHaveTextContent(
      'Rolled back',
    );
    expect(
      screen.queryByTestId('glidepath-analysis-decision'),
    ).not.toBeInTheDocument();

    const evidence = screen.getByTestId('glidepath-analysis-evidence');
    expect(
      within(evidence).getByRole('table', {
        name: 'Evidence for the automatic rollback',
      }),
    ).toBeInTheDocument();
    // Only the failing rule: the burn-rate rules passed or were inconclusive.
    expect(within(evidence).getAllByRole('row')).toHaveLength(2);
    const row = within(evidence).getByTestId(
      'glidepath-analysis-evidence-error_rate',
    );
    const cells = within(row)
      .getAllByRole('cell')
      .map(cell => cell.textContent);
    expect(cells).toEqual([
      'Error rateFail',
      '7.04%29 of 412 requests failed',
      '0.49%19 of 3,911 requests failed',
      '+1.00 pp over the baseline',
    ]);
    // The statistics are one click away.
    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Show the statistics' }));
    expect(
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent)
        .slice(4),
    ).toEqual([
      '+6.55 ppconfidence bounds +3.72 to +9.38 pp; tolerated up to +1.00 pp',
      '1.2e5fails at 4000',
    ]);
    // The timeline does not repeat the reason shown above.
    const [rollback] = entries();
    expect(rollback).toHaveTextContent('Why: see above.');
    expect(rollback).not.toHaveTextContent(ROLLBACK_REASON);
  });

  it('says how a release ended and by whom, instead of a decision that no longer applies', async () => {
    const { rendered } = renderPanel(
      makeDetail({
        release: makeRelease({ phase: 'rolled_back', canaryWeight: 0 }),
        analyses: rollbackAnalyses.slice(0, 1),
        actions: [
          makeAction({
            id: 'act-guest',
            action: 'rollback',
            state: 'succeeded',
            requestedBy: {
              kind: 'user',
              ref: 'user:default/guest',
              displayName: 'Guest',
            },
            requestedAt: '2025-03-01T10:03:00.000Z',
          }),
        ],
      }),
    );
    await rendered;
    const reason = await screen.findByTestId('glidepath-analysis-reason');
    expect(reason).toHaveTextContent(
      `Rolled back by Guest at ${formatTime(
        '2025-03-01T10:03:00.000Z',
      )}: the analysis stopped with the release`,
    );
    expect(reason).toHaveTextContent(
      `Its last evaluation, at ${formatTime(
        rollbackAnalyses[0].evaluatedAt,
      )}: ${rollbackAnalyses[0].reason}`,
    );
    expect(screen.getByText('Last verdict')).toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-analysis-decision'),
    ).not.toBeInTheDocument();
  });

  it('says the metrics are simulated once, beside their source, with no chip', async () => {
    const simulated = rollbackAnalyses.map(a => ({ ...a, simulated: true }));
    const { rendered } = renderPanel(
      makeDetail({ analyses: simulated, actions: [policyRollbackAction] }),
    );
    await rendered;
    await screen.findByTestId('glidepath-analysis-verdict');
    const panel = screen.getByTestId('glidepath-analysis');
    expect(within(panel).getByText('prometheus (simulated)')).toBeVisible();
    expect(within(panel).queryByText('Simulated')).not.toBeInTheDocument();
  });

  it('says when the canary has not been judged yet', async () => {
    const { rendered } = renderPanel(makeDetail());
    await rendered;
    expect(
      await screen.findByTestId('glidepath-analysis-empty'),
    ).toHaveTextContent(
      'No analysis yet: Glidepath judges a canary once it takes traffic.',
    );
    expect(
      screen.queryByTestId('glidepath-analysis-timeline'),
    ).not.toBeInTheDocument();
  });

  it("shows the provider's own analysis runs after Glidepath's, each metric with its counts, latest values and condition", async () => {
    const { rendered } = renderPanel(
      makeDetail({
        release: makeRelease({ provider: 'argo-rollouts' }),
        analyses: passingAnalyses,
        providerAnalysis: [makeProviderRun()],
      }),
    );
    await rendered;
    const section = await screen.findByTestId('glidepath-provider-analysis');
    expect(section).toHaveTextContent('Analysis runs by argo-rollouts');
    const run = within(section).getByTestId('glidepath-provider-analysis-run');
    expect(run).toHaveTextContent('checkout-service-6d4f9-2-1');
    expect(run).toHaveTextContent('Step · Failed');
    expect(run).toHaveTextContent(
      'metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    );
    const metric = within(run).getByTestId(
      'glidepath-provider-metric-success-rate',
    );
    expect(metric).toHaveTextContent('3 measurements: 2 successful, 1 failed');
    expect(metric).toHaveTextContent('0.990.970.81');
    expect(metric).toHaveTextContent(
      'passes when result[0] >= 0.95; fails after more than 0 failed measurements',
    );
    // Glidepath's own judgement is still there.
    expect(screen.getByTestId('glidepath-analysis-verdict')).toBeVisible();
  });

  it("shows the provider's runs of a release Glidepath does not judge, with the reason it does not, and a run still going", async () => {
    const { rendered } = renderPanel(
      makeDetail({
        release: makeRelease({ strategy: 'blue_green' }),
        providerAnalysis: [
          makeProviderRun({
            kind: 'PrePromotion',
            phase: 'Running',
            verdict: null,
            message: null,
            metrics: [],
          }),
        ],
      }),
    );
    await rendered;
    expect(
      await screen.findByTestId('glidepath-analysis-empty'),
    ).toHaveTextContent('Glidepath does not analyse blue-green releases');
    const run = screen.getByTestId('glidepath-provider-analysis-run');
    expect(run).toHaveTextContent('PrePromotion · Running');
    expect(run).toHaveTextContent('No metrics reported yet.');
  });

  it('shows no provider section when the provider runs no analysis', async () => {
    const { rendered } = renderPanel(makeDetail({ analyses: passingAnalyses }));
    await rendered;
    await screen.findByTestId('glidepath-analysis-verdict');
    expect(
      screen.queryByTestId('glidepath-provider-analysis'),
    ).not.toBeInTheDocument();
  });

  it('says that blue-green releases are not analysed', async () => {
    const { rendered } = renderPanel(
      makeDetail({ release: makeRelease({ strategy: 'blue_green' }) }),
    );
    await rendered;
    expect(
      await screen.findByTestId('glidepath-analysis-empty'),
    ).toHaveTextContent(
      'Glidepath does not analyse blue-green releases: traffic switches all at once, so there is no canary traffic to compare with the baseline.',
    );
  });

  it('shows the error when the analysis cannot be loaded', async () => {
    const { rendered } = renderPanel(async () => {
      throw await responseError(
        503,
        'Service Unavailable',
        'ServiceUnavailableError',
        'glidepath is starting',
      );
    });
    await rendered;
    expect(
      await screen.findByText(/Could not load the canary analysis/),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('glidepath-analysis-verdict'),
    ).not.toBeInTheDocument();
  });

  it.each([
    [
      'a canary in its warm-up',
      makeAnalysis({
        evaluatedAt: '2025-03-01T10:00:20.000Z',
        from: '2025-03-01T10:01:00.000Z',
        to: '2025-03-01T10:00:20.000Z',
        verdict: 'inconclusive',
        decision: 'continue',
        reason:
          'Canary 2.0.0 is warming up: the "default" policy judges it from 1 min after it started, so that errors and slowness while new pods start do not roll it back. Judging starts in 40 s.',
        metrics: [],
      }),
      `Warming up: judging starts at ${formatTime('2025-03-01T10:01:00.000Z')}`,
    ],
    [
      'a canary too quiet to judge',
      makeAnalysis({
        verdict: 'inconclusive',
        decision: 'escalate',
        reason:
          'No decision about canary 2.0.0 after 5 min: not enough evidence either way on error rate (the canary has served 14 requests since its warm-up). Notified its owners, who may roll it back or wait; Glidepath keeps judging it: it rolls the canary back if a rule fails and promotes it once every rule passes.',
      }),
      'Owners notified: too little evidence to decide yet',
    ],
  ])('says in plain words why it waits: %s', async (_name, analysis, title) => {
    const { rendered } = renderPanel(makeDetail({ analyses: [analysis] }));
    await rendered;
    const reason = await screen.findByTestId('glidepath-analysis-reason');
    expect(
      within(reason).getByTestId('glidepath-analysis-waiting'),
    ).toHaveTextContent(title);
    expect(reason).toHaveTextContent(analysis.reason);
  });

  it('gives an ordinary evaluation no waiting title', async () => {
    const { rendered } = renderPanel(
      makeDetail({ analyses: [passingAnalyses[0]] }),
    );
    await rendered;
    await screen.findByTestId('glidepath-analysis-reason');
    expect(
      screen.queryByTestId('glidepath-analysis-waiting'),
    ).not.toBeInTheDocument();
  });

  it('lists the evaluations newest first, holds and escalations set apart, with their actions', async () => {
    const { rendered } = renderPanel(
      makeDetail({
        analyses: [passingAnalyses[0], holdAnalysis, escalationAnalysis],
        actions: [escalationPauseAction],
      }),
    );
    await rendered;
    expect(
      await screen.findByTestId('glidepath-analysis-decision'),
    ).toHaveTextContent('Escalate');
    expect(screen.getByTestId('glidepath-analysis-verdict')).toHaveTextContent(
      'No data',
    );
    expect(screen.getByTestId('glidepath-analysis-reason')).toHaveTextContent(
      escalationAnalysis.reason,
    );
    expect(screen.getByTestId('glidepath-analysis-waiting')).toHaveTextContent(
      'Paused and the owners notified: no usable metrics',
    );

    const [escalation, hold, first] = entries();
    expect(first).toHaveTextContent('First evaluation');
    expect(entries().map(entry => entry.getAttribute('data-decision'))).toEqual(
      ['escalate', 'hold', 'continue'],
    );
    expect(escalation).toHaveTextContent(
      formatTime(escalationAnalysis.evaluatedAt),
    );
    expect(escalation).toHaveTextContent('No dataEscalate');
    // Its reason is the one shown above the timeline: not repeated.
    expect(escalation).toHaveTextContent('Why: see above.');
    expect(escalation).not.toHaveTextContent(escalationAnalysis.reason);
    expect(
      within(escalation).getByTestId('glidepath-analysis-action'),
    ).toHaveTextContent('Requested Pause · succeeded');
    expect(hold).toHaveTextContent('No dataHold');
    expect(hold).toHaveTextContent(holdAnalysis.reason);
    expect(
      within(hold).queryByTestId('glidepath-analysis-action'),
    ).not.toBeInTheDocument();
    expect(first).toHaveTextContent('InconclusiveContinue');
    // Set apart by more than colour: the stalled entries' reasons are bold.
    expect(within(hold).getByText(holdAnalysis.reason)).toHaveStyle({
      fontWeight: 500,
    });
    expect(within(first).getByText(passingAnalyses[0].reason)).not.toHaveStyle({
      fontWeight: 500,
    });
  });

  it('groups evaluations that said the same thing, and lists the newest 20 entries until asked for all', async () => {
    // 25 runs of three identical evaluations, each run with a new verdict.
    const analyses: Analysis[] = Array.from({ length: 75 }, (_, i) =>
      makeAnalysis({
        id: `an-${i}`,
        evaluatedAt: new Date(
          Date.parse('2025-03-01T10:00:00.000Z') + i * 30_000,
        ).toISOString(),
        verdict: Math.floor(i / 3) % 2 ? 'inconclusive' : 'pass',
        reason: `Evaluation ${i}.`,
      }),
    );
    const { rendered } = renderPanel(makeDetail({ analyses }));
    await rendered;
    await screen.findByTestId('glidepath-analysis-timeline');
    expect(entries()).toHaveLength(20);
    expect(entries()[0]).toHaveTextContent('Why: see above.');
    expect(screen.getByTestId('glidepath-analysis-reason')).toHaveTextContent(
      'Evaluation 74.',
    );
    expect(entries()[1]).toHaveTextContent('Evaluation 71.');
    expect(entries()[0]).toHaveTextContent('3 evaluations');
    expect(entries()[0].getAttribute('data-count')).toBe('3');
    expect(entries()[19]).toHaveTextContent('Evaluation 17.');
    expect(screen.getByTestId('glidepath-analysis-timeline')).toHaveTextContent(
      '75 evaluations, newest first',
    );

    const user = userEvent.setup();
    await user.click(
      screen.getByRole('button', { name: 'Show all 25 entries' }),
    );
    expect(entries()).toHaveLength(25);
    expect(entries()[24]).toHaveTextContent('Evaluation 2.');
    await user.click(
      screen.getByRole('button', { name: 'Show the latest 20 only' }),
    );
    expect(entries()).toHaveLength(20);
  });

  it('reads the analysis again when a signal about the release arrives', async () => {
    const signals = fakeSignals();
    const { api, rendered } = renderPanel(
      makeDetail({ analyses: rollbackAnalyses.slice(0, 1) }),
      signals,
    );
    await rendered;
    expect(
      await screen.findByTestId('glidepath-analysis-verdict'),
    ).toHaveTextContent('Inconclusive');
    expect(signals.channels()).toContain(channel);

    // Another release of the entity changed: nothing to read.
    signals.publish(channel, {
      type: 'release-updated',
      entityRef: 'component:default/checkout-service',
      releaseId: 'rel-0',
    });
    expect(api.getRelease).toHaveBeenCalledTimes(1);

    api.getRelease.mockResolvedValue(
      makeDetail({
        analyses: rollbackAnalyses,
        actions: [policyRollbackAction],
      }),
    );
    signals.publish(channel, {
      type: 'release-updated',
      entityRef: 'component:default/checkout-service',
      releaseId: 'rel-1',
    });
    await waitFor(() =>
      expect(
        screen.getByTestId('glidepath-analysis-verdict'),
      ).toHaveTextContent('Fail'),
    );
    expect(screen.getByTestId('glidepath-analysis-reason')).toHaveTextContent(
      ROLLBACK_REASON,
    );
    expect(api.getRelease).toHaveBeenCalledTimes(2);
  });
});
