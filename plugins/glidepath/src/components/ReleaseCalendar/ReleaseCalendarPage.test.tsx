import { screen, within } from '@testing-library/react';
import { renderCalendarPage as render } from '../../__testUtils__/calendar';

jest.mock('../../lib/calendar', () => ({
  ...jest.requireActual('../../lib/calendar'),
  viewerTimeZone: () => 'UTC',
}));

describe('the Release calendar page', () => {
  it('lists the next four weeks with each freeze and train slot, their scope and reason, and the feed links', async () => {
    render({});
    const weeks = await screen.findByTestId('glidepath-calendar-weeks');
    const items = within(weeks).getAllByTestId('glidepath-calendar-item');
    // The incident once; the Monday train four times in four weeks.
    expect(
      items.filter(i => within(i).queryByText('Incident freeze')),
    ).toHaveLength(1);
    expect(
      items.filter(i => within(i).queryByText('Checkout train')),
    ).toHaveLength(4);
    const freeze = items.find(i => within(i).queryByText('Incident freeze'))!;
    expect(within(freeze).getByText('INC-42 is open')).toBeInTheDocument();
    expect(within(freeze).getByText('Freeze')).toBeInTheDocument();
    expect(within(freeze).getAllByText(/Asia\/Tokyo\)$/)).toHaveLength(2);
    expect(within(freeze).getByText('shop')).toBeInTheDocument();
    expect(within(weeks).getAllByText('Whole organisation')).toHaveLength(4);
    expect(within(weeks).getByText(/^From today, /)).toBeInTheDocument();

    const feeds = await screen.findByTestId('glidepath-calendar-feeds');
    expect(
      within(feeds).getByText(
        'http://backstage/api/glidepath/calendar/feed.ics?token=t',
      ),
    ).toBeInTheDocument();
    expect(
      within(feeds).getByText(
        'http://backstage/api/glidepath/calendar/feed.ics?owner=group%3Adefault%2Fteam-checkout&token=t',
      ),
    ).toBeInTheDocument();
    expect(
      within(feeds).getByText(/Each link opens only its own feed/),
    ).toBeInTheDocument();

    // The guest may not manage the calendar: why, beside the disabled button.
    expect(
      screen.getByRole('button', { name: 'Add freeze window' }),
    ).toBeDisabled();
    expect(
      screen.getByText(/glidepath\.calendar\.manage\) can add or delete/),
    ).toBeInTheDocument();
  });

  it('says when the feeds cannot be subscribed to, and when there is nothing planned', async () => {
    render({ windows: [], trains: [], subscribable: false });
    expect(
      await screen.findByText('No freeze windows or release trains'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/calendar apps cannot subscribe to them/),
    ).toBeInTheDocument();
  });
});
