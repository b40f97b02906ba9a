// Game days: the "Release game day" template records a game day on the
// guest team's receipts-service; at once its fault is injected into the
// next staging canary, which the engine rolls back; the Game days page shows
// the fault's time to detect and to recover, and the facilitator writes the
// outcome. A game day on a service with only production is refused.
import assert from 'node:assert/strict';
import { assertNothingWider } from './smoke.mjs';

/** Fills the template's form and creates it; returns the page after Create. */
async function runGameDayTemplate(page, appUrl, { title, service }) {
  await page.goto(
    `${appUrl}/create/templates/default/glidepath-release-game-day`,
  );
  await page.getByRole('textbox', { name: /^Title/ }).fill(title);
  const picker = page.getByLabel(/^Service/).first();
  await picker.click();
  await picker.fill(service);
  await page
    .getByRole('option', { name: new RegExp(service) })
    .first()
    .click();
  const facilitator = page.getByLabel(/^Facilitator/).first();
  await facilitator.click();
  await facilitator.fill('guest');
  await page.getByRole('option', { name: /Guest/ }).first().click();
}

export const gameDayTests = [
  [
    'Game day: the template records a game day, and the Game days page shows its time to detect and to recover',
    async ({ page, shot, appUrl }) => {
      const title = `e2e game day at ${new Date().toISOString().slice(11, 19)}`;
      await runGameDayTemplate(page, appUrl, {
        title,
        service: 'receipts-service',
      });
      await shot('70-game-day-form');
      await page.getByRole('button', { name: 'Review', exact: true }).click();
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page
        .getByText(new RegExp(`Game day "${title}" recorded`))
        .first()
        .waitFor({ timeout: 60_000 });
      await shot('71-game-day-recorded');

      // The fault goes into receipts-staging's next canary (one a minute in
      // the e2e config), the engine catches it and rolls it back; the page
      // shows the times once the game day's task read them (every 10 s).
      await page.goto(`${appUrl}/glidepath/game-days`);
      const started = Date.now();
      const deadline = started + 360_000;
      let card;
      for (;;) {
        // The page has loaded its game days (the new one among them).
        await page
          .getByTestId('glidepath-game-day')
          .first()
          .waitFor({ timeout: 30_000 });
        card = page
          .getByTestId('glidepath-game-day')
          .filter({ hasText: title })
          .first();
        if (await card.count()) {
          const recover = card.getByTestId('glidepath-game-day-recover');
          const text = (await recover.count())
            ? await recover.first().innerText()
            : '';
          if (/\+\d/.test(text)) break;
          // A drill that ended otherwise will not recover: say how it ended.
          const row = await card
            .getByTestId('glidepath-game-day-fault')
            .first()
            .innerText();
          if (/Not detected|Not rolled back|Did not run|No release/.test(row)) {
            throw new Error(`the drill ended without recovering: ${row}`);
          }
        }
        if (Date.now() > deadline) {
          const row = (await card?.count())
            ? await card.getByTestId('glidepath-game-day-fault').innerText()
            : 'no game day on the page';
          throw new Error(
            `no time to recover within 360 s; the fault's row says: ${row}`,
          );
        }
        await page.waitForTimeout(5000);
        await page.reload();
      }
      const row = card.getByTestId('glidepath-game-day-fault').first();
      const detect = await row
        .getByTestId('glidepath-game-day-detect')
        .innerText();
      const recover = await row
        .getByTestId('glidepath-game-day-recover')
        .innerText();
      assert.match(detect, /\+\d+(m|s)/, `time to detect in "${detect}"`);
      assert.match(recover, /\+\d+(m|s)/, `time to recover in "${recover}"`);
      assert.match(await row.innerText(), /Recovered/);
      console.log(
        `    (game day recovered ${Math.round(
          (Date.now() - started) / 1000,
        )} s after it was recorded; detect ${detect.replace(
          /\s+/g,
          ' ',
        )}, recover ${recover.replace(/\s+/g, ' ')})`,
      );
      // The team's drills of the last 90 days with their medians.
      const team = page
        .getByTestId('glidepath-drill-team')
        .filter({ hasText: /Checkout/ })
        .first();
      await team.waitFor();
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await card.scrollIntoViewIfNeeded();
        await page.waitForTimeout(300);
        await assertNothingWider(page);
        await shot(`72-game-days-${width}`);
      }
      await page.setViewportSize({ width: 1440, height: 900 });

      // The guest facilitated it, so writes the outcome.
      await card.getByRole('button', { name: 'Write the outcome' }).click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByLabel(/What was learnt/)
        .fill('The canary was rolled back before anyone looked.');
      await dialog
        .getByLabel('Follow-ups')
        .fill('Page the on-call too | https://tracker.tidewater.example/GD-1');
      await dialog.getByRole('button', { name: 'Save the outcome' }).click();
      await card
        .getByText('The canary was rolled back before anyone looked.')
        .waitFor();
      await card.getByRole('link', { name: 'Page the on-call too' }).waitFor();
      await card.scrollIntoViewIfNeeded();
      await shot('73-game-day-outcome');

      // The service's Releases tab says its last drill.
      await page.goto(
        `${appUrl}/catalog/default/component/receipts-service/releases`,
      );
      const line = page.getByTestId('glidepath-last-drill');
      await line.waitFor();
      assert.match(
        await line.innerText(),
        /Last drill .* \(error rate fault in staging\): detected in \S+, healthy again after \S+/,
      );
      await line.scrollIntoViewIfNeeded();
      await shot('74-releases-last-drill');
    },
  ],
  [
    'Game day: a fault in production is refused without an admin override',
    async ({ page, shot, appUrl }) => {
      await runGameDayTemplate(page, appUrl, {
        title: 'e2e production game day',
        service: 'cart-service',
      });
      await page.getByRole('button', { name: 'Review', exact: true }).click();
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page
        .getByText(
          /production is a production environment of component:default\/cart-service: drills there are refused unless an admin overrides with a reason/,
        )
        .first()
        .waitFor({ timeout: 60_000 });
      await shot('75-game-day-production-refused');
    },
  ],
];
