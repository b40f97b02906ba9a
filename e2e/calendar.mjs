// The release calendar: a freeze of order-service kept in the e2e config
// (the guest may not manage the calendar, and only admins may) shows on the
// Release calendar page and on the service's Releases tab; a promote during
// it is refused with the window's reason; the organisation's iCalendar feed
// opens by its link without a Backstage token and parses with ical.js.
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { nothingWiderAfterResize, waitForProgressing } from './releases.mjs';

const REASON = 'The orders database is being migrated (e2e)';

export const calendarTests = [
  [
    'the Release calendar page shows the freeze, and its feed parses as a calendar',
    async ({ page, shot, appUrl }) => {
      await page.goto(`${appUrl}/glidepath/calendar`);
      const weeks = page.getByTestId('glidepath-calendar-weeks');
      await weeks.getByText('Order migration').first().waitFor();
      await weeks.getByText(REASON).first().waitFor();
      await weeks
        .getByRole('link', { name: 'order-service' })
        .first()
        .waitFor();
      const windows = page.getByTestId('glidepath-calendar-windows');
      await windows.getByText('Kept in app-config: change it there').waitFor();
      // The guest may not manage the calendar: the button says why.
      const add = page.getByRole('button', { name: 'Add freeze window' });
      assert.equal(await add.isEnabled(), false);
      await page
        .getByText(/glidepath\.calendar\.manage\) can add or delete windows/)
        .waitFor();
      const feeds = page.getByTestId('glidepath-calendar-feeds');
      await feeds.getByText(/Each link opens only its own feed/).waitFor();
      await shot('70-release-calendar-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await shot('70b-release-calendar-1024');
      await page.setViewportSize({ width: 1440, height: 900 });

      // The organisation's feed, as a calendar app fetches it: no token.
      const url = await feeds
        .getByRole('link', { name: /feed\.ics\?token=/ })
        .first()
        .getAttribute('href');
      const res = await fetch(url);
      assert.equal(res.status, 200, `GET ${url}`);
      assert.match(res.headers.get('content-type'), /^text\/calendar/);
      const calendar = new ICAL.Component(ICAL.parse(await res.text()));
      const events = calendar
        .getAllSubcomponents('vevent')
        .map(e => new ICAL.Event(e));
      const freeze = events.find(
        e => e.summary === 'Release freeze: Order migration',
      );
      assert.ok(freeze, 'the feed has the freeze');
      assert.equal(freeze.startDate.zone.tzid, 'Europe/Berlin');
      assert.match(freeze.description, /orders database is being migrated/);
      // A made-up token opens nothing.
      const guess = await fetch(url.replace(/token=[^&]+/, 'token=guess'));
      assert.equal(guess.status, 401);
    },
  ],
  [
    "the Releases tab's calendar card shows the freeze, and a promote during it is refused with the window's reason",
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/catalog/default/component/order-service/releases`,
      );
      const card = page.getByTestId('glidepath-calendar-card');
      await card
        .getByText(new RegExp(`^Frozen: ${REASON.replace(/[()]/g, '\\$&')}`))
        .first()
        .waitFor();
      await waitForProgressing(page, 150_000);
      await shot('71-releases-tab-frozen');

      const promote = page.getByRole('button', { name: 'Promote' });
      await promote.waitFor();
      assert.equal(await promote.isEnabled(), true);
      await promote.click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByRole('textbox', { name: /Reason/ })
        .fill('e2e: promote during the freeze');
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      const error = dialog.getByTestId('glidepath-action-error');
      await error.waitFor();
      const text = await error.innerText();
      assert.match(text, /^Conflict: /);
      assert.ok(text.includes(REASON), `the refusal says why: ${text}`);
      assert.match(text, /Rollbacks are never blocked/);
      await shot('72-promote-refused-during-freeze');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    },
  ],
];
