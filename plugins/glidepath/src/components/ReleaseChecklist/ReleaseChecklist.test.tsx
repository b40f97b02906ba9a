import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  checklistGate,
  type Checklist,
} from '@glidepath/backstage-plugin-common';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import {
  checkoutService,
  makeRelease,
  makeSummary,
} from '../../__testUtils__/releases';
import {
  DENY,
  renderForEntity,
  responseError,
} from '../../__testUtils__/render';
import { ReleasesContent } from '../ReleasesContent';

jest.setTimeout(20_000);

const alice = {
  kind: 'user' as const,
  ref: 'user:default/alice',
  displayName: 'Alice',
};

function checklist(
  checked: boolean[],
  patch: Partial<Checklist> = {},
): Checklist {
  const titles = [
    'Rollback plan verified',
    'On-call aware',
    'Feature flags set',
  ];
  const items = titles.map((title, i) => ({
    id: `i${i}`,
    title,
    description: i === 0 ? 'Rolling back has been tried on staging.' : null,
    required: i < 2,
    owner: i === 1 ? 'group:default/team-checkout' : null,
    checked: checked[i],
    checkedBy: checked[i] ? alice : null,
    checkedAt: checked[i] ? '2025-03-01T10:02:00.000Z' : null,
    history: checked[i]
      ? [
          {
            checked: true,
            by: alice,
            at: '2025-03-01T10:02:00.000Z',
            note: null,
          },
        ]
      : [],
  }));
  return {
    id: 'c1',
    entityRef: 'component:default/checkout-service',
    releaseId: makeRelease().id,
    title: 'Checkout 2.5',
    createdBy: alice,
    createdAt: '2025-03-01T10:00:00.000Z',
    items,
    gate: checklistGate(items),
    ...patch,
  };
}

describe('the release checklist on the Releases tab', () => {
  it('shows progress, who ticked what, and what holds promotion; ticking an item saves it', async () => {
    const setChecklistItem = jest.fn(async () =>
      checklist([true, true, false]),
    );
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({ checklist: checklist([true, false, false]) }),
      setChecklistItem,
    });
    await renderForEntity(<ReleasesContent />, { api });
    const card = await screen.findByTestId('glidepath-checklist');
    expect(within(card).getByText('1 of 3 done')).toBeInTheDocument();
    expect(
      within(card).getByTestId('glidepath-checklist-gate'),
    ).toHaveTextContent(
      'Holds promotion before the final step: 1 required item is open (On-call aware).',
    );
    expect(card).toHaveTextContent(/Ticked by Alice/);
    expect(within(card).getAllByText('Required')).toHaveLength(2);
    expect(within(card).getByText('Optional')).toBeInTheDocument();

    await userEvent.click(
      within(card).getByRole('checkbox', { name: /On-call aware/ }),
    );
    expect(setChecklistItem).toHaveBeenCalledWith('c1', 'i1', {
      checked: true,
    });
    await waitFor(() =>
      expect(
        within(card).getByTestId('glidepath-checklist-gate'),
      ).toHaveTextContent('Every required item is ticked'),
    );
    expect(within(card).getByText('2 of 3 done')).toBeInTheDocument();
  });

  it('says why an item could not change', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({ checklist: checklist([false, false, false]) }),
      setChecklistItem: async () => {
        throw await responseError(
          404,
          'Not Found',
          'NotFoundError',
          'Checklist c1 has no item with id i0',
        );
      },
    });
    await renderForEntity(<ReleasesContent />, { api });
    const card = await screen.findByTestId('glidepath-checklist');
    await userEvent.click(
      within(card).getByRole('checkbox', { name: /Rollback plan verified/ }),
    );
    expect(
      await within(card).findByText(
        /Could not change the item: Checklist c1 has no item with id i0/,
      ),
    ).toBeInTheDocument();
    expect(within(card).getByText('0 of 3 done')).toBeInTheDocument();
  });

  it('is read-only for people who may not steer the releases', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({ checklist: checklist([false, false, false]) }),
    });
    // Another entity than the other tests': usePermission keeps answers in a
    // cache shared by every render of this file, keyed by the permission and
    // the entity, so checkout-service's ALLOW from an earlier test could be
    // served here (it was, now and then, in CI).
    await renderForEntity(<ReleasesContent />, {
      api,
      authorize: DENY,
      entity: {
        ...checkoutService,
        metadata: { ...checkoutService.metadata, name: 'read-only-service' },
      },
    });
    const card = await screen.findByTestId('glidepath-checklist');
    await waitFor(() =>
      expect(
        within(card).getByText(/Only people who may steer/),
      ).toBeInTheDocument(),
    );
    for (const box of within(card).getAllByRole('checkbox')) {
      expect(box).toBeDisabled();
    }
  });

  it('shows a checklist that waits for the next release, and nothing without one', async () => {
    const api = fakeGlidepathApi({
      getEntityReleaseSummary: async () =>
        makeSummary({
          checklist: checklist([false, false, false], { releaseId: null }),
        }),
    });
    const { unmount } = await renderForEntity(<ReleasesContent />, { api });
    expect(
      await screen.findByText(
        'Release checklist, waiting for the next release',
      ),
    ).toBeInTheDocument();
    unmount();
    await renderForEntity(<ReleasesContent />, { api: fakeGlidepathApi() });
    await screen.findByTestId('glidepath-releases');
    expect(screen.queryByTestId('glidepath-checklist')).not.toBeInTheDocument();
  });
});
