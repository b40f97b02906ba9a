import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ReleaseTrain } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { TrainPicker } from './TrainPicker';

const train = (
  id: string,
  title: string,
  scope: ReleaseTrain['scope'],
  nextSlots: string[],
): ReleaseTrain => ({
  id,
  title,
  scope,
  timezone: 'Europe/Berlin',
  start: '2026-01-06T10:00',
  rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
  nextSlots,
  createdBy: { kind: 'user', ref: 'user:default/admin' },
  createdAt: '2026-01-01T00:00:00Z',
});

const TRAINS = [
  train(
    'config-train-1',
    'Checkout train',
    { kind: 'owner', ref: 'group:default/team-checkout' },
    ['2026-12-08T09:00:00Z'],
  ),
  train('t-2', 'Company train', { kind: 'organisation' }, []),
];

async function renderPicker(
  listReleaseTrains: () => Promise<{ items: ReleaseTrain[] }>,
  formData?: string,
) {
  const onChange = jest.fn();
  const api = fakeGlidepathApi({ listReleaseTrains });
  await renderInTestApp(
    <TestApiProvider apis={[[glidepathApiRef, api]]}>
      <TrainPicker
        {...({
          onChange,
          formData,
          required: false,
          rawErrors: [],
          schema: {
            title: 'Or with release train',
            description: 'Start at the next slot of a release train.',
          },
          uiSchema: {},
          idSchema: { $id: 'root_trainId' },
        } as any)}
      />
    </TestApiProvider>,
  );
  return onChange;
}

describe('TrainPicker', () => {
  it("lists the calendar's trains with their scope and next slot, and gives the chosen one's id", async () => {
    const onChange = await renderPicker(async () => ({ items: TRAINS }));
    expect(
      screen.getByText('Start at the next slot of a release train.'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText(/^Or with release train/));
    const list = await screen.findByRole('listbox');
    const options = await within(list).findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      // In the reader's time, and the train's own where that differs.
      expect.stringMatching(
        /^Checkout trainOwner team-checkout · next slot .+$/,
      ),
      'Company trainWhole organisation · no next slot',
    ]);
    await userEvent.click(options[0]);
    expect(onChange).toHaveBeenLastCalledWith('config-train-1');
  });

  it('shows the chosen train by its title, and its next slot under it', async () => {
    await renderPicker(async () => ({ items: TRAINS }), 'config-train-1');
    const input = await screen.findByDisplayValue('Checkout train');
    expect(input).toBeInTheDocument();
    expect(
      screen.getByText(/^Owner team-checkout · next slot /),
    ).toBeInTheDocument();
  });

  it('says when the chosen id is not on the calendar, shows it and lets it be cleared', async () => {
    const onChange = await renderPicker(
      async () => ({ items: TRAINS }),
      'gone-train',
    );
    expect(
      await screen.findByText('No release train gone-train on the calendar.'),
    ).toBeInTheDocument();
    expect(screen.getByDisplayValue('gone-train')).toBeInTheDocument();
    await userEvent.click(screen.getByTitle('Clear'));
    expect(onChange).toHaveBeenLastCalledWith('');
  });

  it('says where trains come from when there are none', async () => {
    await renderPicker(async () => ({ items: [] }));
    expect(
      await screen.findByText(
        'No release trains yet: they are kept in app-config (glidepath.calendar.trains) or added through the API (POST /api/glidepath/calendar/trains, glidepath.calendar.manage).',
      ),
    ).toBeInTheDocument();
  });

  it('says why the trains could not be listed', async () => {
    await renderPicker(async () => {
      throw new Error('the backend is down');
    });
    expect(
      await screen.findByText(
        'Could not list the release trains: the backend is down',
      ),
    ).toBeInTheDocument();
  });
});
