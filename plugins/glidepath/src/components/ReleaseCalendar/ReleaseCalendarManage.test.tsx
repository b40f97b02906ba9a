import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ALLOW, responseError } from '../../__testUtils__/render';
import {
  incident,
  renderCalendarPage as render,
} from '../../__testUtils__/calendar';

jest.mock('../../lib/calendar', () => ({
  ...jest.requireActual('../../lib/calendar'),
  viewerTimeZone: () => 'UTC',
}));

// Apart from the page's other tests: usePermission keeps its decisions
// for the test file's life, and these are allowed to manage the calendar.
// Typing into the dialog takes a few seconds on a busy machine.
jest.setTimeout(20_000);

describe('managing the release calendar', () => {
  it("adds a freeze window, showing the server's 400 first", async () => {
    const { api } = render({ authorize: ALLOW });
    api.createFreezeWindow
      .mockRejectedValueOnce(
        await responseError(
          400,
          'Bad Request',
          'InputError',
          'Invalid freeze window: end: must be after start',
        ),
      )
      .mockResolvedValueOnce({ ...incident, id: 'w2' });
    const add = await screen.findByRole('button', {
      name: 'Add freeze window',
    });
    await waitFor(() => expect(add).toBeEnabled());
    await userEvent.click(add);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Title/), 'Year end');
    await userEvent.type(within(dialog).getByLabelText(/^Reason/), 'Holidays');
    fireEvent.change(within(dialog).getByLabelText(/^Starts/), {
      target: { value: '2026-12-24T00:00' },
    });
    fireEvent.change(within(dialog).getByLabelText(/^Ends/), {
      target: { value: '2026-12-20T00:00' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add window' }),
    );
    expect(
      await within(dialog).findByText(
        '400 Bad Request: Invalid freeze window: end: must be after start',
      ),
    ).toBeInTheDocument();

    fireEvent.change(within(dialog).getByLabelText(/^Ends/), {
      target: { value: '2027-01-02T00:00' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add window' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.createFreezeWindow).toHaveBeenLastCalledWith(
      {
        title: 'Year end',
        effect: 'deny',
        reason: 'Holidays',
        timezone: 'UTC',
        start: '2026-12-24T00:00',
        end: '2027-01-02T00:00',
        scope: { kind: 'organisation' },
      },
      { idempotencyKey: expect.any(String) },
    );
    // Read again after the change.
    expect(api.listFreezeWindows).toHaveBeenCalledTimes(2);
  });

  it('deletes a window after saying what will happen', async () => {
    const { api } = render({ authorize: ALLOW });
    api.deleteFreezeWindow.mockResolvedValue(undefined);
    const table = await screen.findByTestId('glidepath-calendar-windows');
    const button = within(table).getByRole('button', { name: 'Delete' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(/Releases this freeze holds may go on at once/),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() =>
      expect(api.deleteFreezeWindow).toHaveBeenCalledWith('w1'),
    );
  });
});
