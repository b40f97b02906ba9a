import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import {
  makeAction,
  makeDetail,
  makeRelease,
  makeSummary,
} from '../../__testUtils__/releases';
import {
  policyRollbackAction,
  ROLLBACK_REASON,
  rollbackAnalyses,
} from '../../__testUtils__/analysis';
import { renderForEntity } from '../../__testUtils__/render';
import { ReleasesContent } from '../ReleasesContent';

// Rendering material-table is slow on a busy machine.
jest.setTimeout(20_000);

describe('the release history and audit trail on the Releases tab', () => {
  it('shows the audit trail and loads older releases on demand', async () => {
    const older = makeRelease({
      id: 'rel-0',
      version: '1.4.2',
      previousVersion: '1.4.1',
      phase: 'succeeded',
      finishedAt: '2025-02-20T10:30:00.000Z',
      startedAt: '2025-02-20T10:00:00.000Z',
    });
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({
          recentActions: [
            makeAction({
              action: 'pause',
              state: 'failed',
              reason: 'hold for the freeze',
              error: 'sandbox refused',
            }),
          ],
        }),
      listEntityReleases: async () => ({
        items: [makeRelease(), older],
        nextCursor: null,
      }),
    });
    await renderForEntity(<ReleasesContent />, { api });
    expect(await screen.findByText('hold for the freeze')).toBeInTheDocument();
    expect(screen.getByText('Guest')).toBeInTheDocument();
    expect(screen.getByText('sandbox refused')).toBeInTheDocument();

    const user = userEvent.setup();
    expect(screen.queryByText('1.4.1 → 1.4.2')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('1.4.1 → 1.4.2')).toBeInTheDocument();
    expect(screen.getByText('took 30m')).toBeInTheDocument();
    expect(screen.getByText('No older releases.')).toBeInTheDocument();
    expect(api.listEntityReleases).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'checkout-service' },
      { limit: 21 },
    );
  });

  it("opens a past release's changes and why it was rolled back", async () => {
    const rolledBack = makeRelease({
      id: 'rel-0',
      version: '1.4.3',
      previousVersion: '1.4.2',
      phase: 'rolled_back',
      canaryWeight: 0,
      finishedAt: '2025-02-28T10:05:00.000Z',
      startedAt: '2025-02-28T10:00:00.000Z',
    });
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({ recent: [makeRelease(), rolledBack] }),
      getRelease: async id =>
        id === 'rel-0'
          ? makeDetail({
              release: rolledBack,
              analyses: rollbackAnalyses.map(a => ({
                ...a,
                releaseId: 'rel-0',
              })),
              actions: [{ ...policyRollbackAction, releaseId: 'rel-0' }],
              events: [
                {
                  id: 'ev-1',
                  releaseId: 'rel-0',
                  type: 'phase_changed',
                  fromPhase: 'progressing',
                  toPhase: 'rolled_back',
                  stepIndex: null,
                  canaryWeight: 0,
                  message: null,
                  occurredAt: '2025-02-28T10:04:09.000Z',
                },
              ],
            })
          : makeDetail(),
    });
    await renderForEntity(<ReleasesContent />, { api });
    const row = (await screen.findByText('1.4.2 → 1.4.3')).closest('tr')!;
    const user = userEvent.setup();
    await user.click(within(row).getByRole('button'));

    const details = await screen.findByTestId(
      'glidepath-release-details-rel-0',
    );
    expect(
      await within(details).findByText(
        'progressing → rolled back · traffic 0%',
      ),
    ).toBeInTheDocument();
    expect(
      within(details).getByTestId('glidepath-analysis-reason'),
    ).toHaveTextContent(ROLLBACK_REASON);
    expect(
      within(details).getByTestId('glidepath-analysis-evidence'),
    ).toHaveTextContent('29 of 412 requests failed');
    expect(api.getRelease).toHaveBeenCalledWith('rel-0');
  });
});
