// The release calendar: a freeze of order-service kept in the e2e config
// (the guest may not manage the calendar, and only admins may) shows on the
// Release calendar page and on the service's Releases tab; a promote during
// it is refused with the window's reason; the organisation's iCalendar feed
// opens by its link without a Backstage token and parses with ical.js.
// The checkout team's release train, also kept in the e2e config
// (Tuesdays and Thursdays 10:00 Europe/Berlin), shows its slots on the
// Release calendar page, in the Releases page's month and week, on
// order-service's Releases tab as the next train, and in the feed.
// The error-budget policy: identity-service's spent budget shows on its
// Releases tab, production frozen except fixes (the guest, of another
// team, may not promote it: the refusal is tested in the backend's
// errorBudget tests).
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import {
  nothingWiderAfterResize,
  promoteWithReason,
  waitForProgressing,
} from './releases.mjs';

const REASON = 'The orders database is being migrated (e2e)';
const TRAIN = 'Checkout train';

/**
 * In the browser: 10:00 Europe/Berlin on a local day ("Tue Dec 08 2026"),
 * as the reader's clock shows it (the calendar's `time`).
 */
function berlinTenOn(dayLabel) {
  const day = new Date(dayLabel);
  const noon = Date.UTC(day.getFullYear(), day.getMonth(), day.getDate(), 12);
  const offset = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Berlin',
    timeZoneName: 'shortOffset',
  })
    .formatToParts(new Date(noon))
    .find(part => part.type === 'timeZoneName').value;
  const hours = Number(/^GMT([+-]\d+)?/.exec(offset)[1] ?? 0);
  return new Date(noon + (10 - 12 - hours) * 3_600_000).toLocaleTimeString(
    undefined,
    { hour: '2-digit', minute: '2-digit' },
  );
}

/** A slot's text shows 10:00 Berlin time on a Tuesday or a Thursday. */
function assertTrainSlot(text) {
  assert.match(text, /\b(Tue|Thu)\b/, `a Tuesday or Thursday: ${text}`);
  assert.match(text, /\b10:00\b/, `10:00 Berlin time: ${text}`);
}

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
      // The e2e config keeps two windows (e2e/plans.mjs has the other).
      await windows
        .getByText('Kept in app-config: change it there')
        .first()
        .waitFor();
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
    "the checkout team's release train kept in config shows on the Release calendar page, the Releases page's month and week, and order-service's calendar card",
    async ({ page, shot, appUrl }) => {
      // The Release calendar page: the next four weeks hold a Tuesday and
      // a Thursday each, one slot each (a 7-day week from today holds one
      // of each day).
      await page.goto(`${appUrl}/glidepath/calendar`);
      const weeks = page.getByTestId('glidepath-calendar-weeks');
      const slots = weeks
        .getByTestId('glidepath-calendar-item')
        .filter({ hasText: TRAIN });
      await slots.first().waitFor();
      assert.equal(await slots.count(), 8);
      for (let i = 0; i < 8; i++) {
        const row = slots.nth(i);
        assertTrainSlot(await row.locator('td').first().innerText());
        await row.getByText('Train', { exact: true }).waitFor();
        // Scoped to the team: a link to its page (named by its title).
        await row.locator('a[href$="/group/team-checkout"]').waitFor();
      }
      await slots.first().scrollIntoViewIfNeeded();
      await shot('76-release-train-calendar-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await slots.first().scrollIntoViewIfNeeded();
      await shot('76b-release-train-calendar-1024');
      await page.setViewportSize({ width: 1440, height: 900 });

      // The organisation's feed has it, with its rule, in Berlin time.
      const url = await page
        .getByTestId('glidepath-calendar-feeds')
        .getByRole('link', { name: /feed\.ics\?token=/ })
        .first()
        .getAttribute('href');
      const res = await fetch(url);
      assert.equal(res.status, 200, `GET ${url}`);
      const calendar = new ICAL.Component(ICAL.parse(await res.text()));
      const event = calendar
        .getAllSubcomponents('vevent')
        .map(e => new ICAL.Event(e))
        .find(e => e.summary === `Release train: ${TRAIN}`);
      assert.ok(event, 'the feed has the train');
      assert.equal(event.startDate.zone.tzid, 'Europe/Berlin');
      assert.equal(event.startDate.hour, 10);
      assert.equal(
        event.component.getFirstPropertyValue('rrule').toString(),
        'FREQ=WEEKLY;BYDAY=TU,TH',
      );

      // The Releases page's calendar: the month, then the week.
      await page.goto(`${appUrl}/glidepath/releases?tab=calendar`);
      const month = page.getByTestId('glidepath-calendar-month');
      await month.waitFor();
      const monthSlots = month
        .getByTestId('glidepath-calendar-grid-train')
        .filter({ hasText: TRAIN });
      await monthSlots.first().waitFor();
      // Only on Tuesdays and Thursdays (a month's day shows three items and
      // "+n more", so the week below counts them).
      const monthDays = month
        .getByTestId('glidepath-calendar-day')
        .filter({ has: page.getByText(TRAIN) });
      assert.ok((await monthDays.count()) >= 1);
      for (const label of await monthDays.evaluateAll(cells =>
        cells.map(cell => cell.getAttribute('aria-label')),
      )) {
        assert.match(label, /^(Tue|Thu) /, `a slot on ${label}`);
      }
      await shot('77-release-train-month-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await shot('77b-release-train-month-1024');
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.getByRole('button', { name: 'Week' }).click();
      const week = page.getByTestId('glidepath-calendar-week');
      await week.waitFor();
      const weekSlots = week
        .getByTestId('glidepath-calendar-grid-train')
        .filter({ hasText: TRAIN });
      await weekSlots.first().waitFor();
      assert.equal(await weekSlots.count(), 2);
      // Each on its Tuesday or Thursday, at 10:00 Berlin time in the
      // reader's timezone.
      const days = week
        .getByTestId('glidepath-calendar-day')
        .filter({ has: page.getByText(TRAIN) });
      assert.equal(await days.count(), 2);
      for (let i = 0; i < 2; i++) {
        const day = await days.nth(i).getAttribute('aria-label');
        assert.match(day, /^(Tue|Thu) /);
        const expected = await page.evaluate(berlinTenOn, day);
        const text = await days.nth(i).innerText();
        assert.ok(
          text.includes(`${expected} ${TRAIN}`),
          `${day}: ${expected} ${TRAIN} in ${JSON.stringify(text)}`,
        );
      }
      await shot('78-release-train-week-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await shot('78b-release-train-week-1024');
      await page.setViewportSize({ width: 1440, height: 900 });

      // order-service is team-checkout's: its calendar card names the
      // train's next slot.
      await page.goto(
        `${appUrl}/catalog/default/component/order-service/releases`,
      );
      const card = page.getByTestId('glidepath-calendar-card');
      const next = card.getByText(new RegExp(`^Next train: ${TRAIN}, `));
      await next.waitFor();
      assertTrainSlot(await next.innerText());
      await card.scrollIntoViewIfNeeded();
      await shot('79-release-train-card-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await card.scrollIntoViewIfNeeded();
      await shot('79b-release-train-card-1024');
      await page.setViewportSize({ width: 1440, height: 900 });
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

      const dialog = await promoteWithReason(
        page,
        'e2e: promote during the freeze',
      );
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
  [
    "the Releases tab's calendar card shows identity-service's spent error budget, and another service's burn within its budget",
    async ({ page, shot, appUrl }) => {
      // The demo's identity-service failed 0.56% of its requests over 28
      // days (glidepath.sandbox.errorRatioByService in app-config.yaml):
      // 112% of its 99.5% SLO's budget.
      await page.goto(
        `${appUrl}/catalog/default/component/identity-service/releases`,
      );
      const card = page.getByTestId('glidepath-calendar-card');
      const budget = card.getByTestId('glidepath-calendar-error-budget');
      await budget
        .getByText(
          'Error budget: 112% of the 28-day budget spent (SLO 99.5%), frozen except fixes',
        )
        .waitFor();
      await budget
        .getByRole('progressbar', { name: '112% of the error budget spent' })
        .waitFor();
      await budget
        .getByText(/errors in [\d,]+ requests over 28 days, read /)
        .waitFor();
      await card
        .getByTestId('glidepath-calendar-production')
        .getByText(
          'Frozen: error budget spent; only releases marked as fixes go out until it recovers',
        )
        .waitFor();
      await budget.scrollIntoViewIfNeeded();
      await shot('73-error-budget-spent-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await budget.scrollIntoViewIfNeeded();
      await shot('73b-error-budget-spent-1024');
      await page.setViewportSize({ width: 1440, height: 900 });

      // A service with an SLO within its budget shows the burn, unfrozen.
      await page.goto(
        `${appUrl}/catalog/default/component/checkout-service/releases`,
      );
      await page
        .getByTestId('glidepath-calendar-error-budget')
        .getByText(
          /^Error budget: [\d.<]+% of the 28-day budget spent \(SLO 99\.5%\)$/,
        )
        .waitFor();
      await shot('73c-error-budget-within');
    },
  ],
];
