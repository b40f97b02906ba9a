// Break-glass from the Releases tab: order-service is frozen by the e2e
// config's "Order migration" window, and its sandbox train keeps a canary
// in flight there. The guest is in release-managers
// (e2e/catalog-plans.yaml), whom permission.releaseManagerGroups lets break
// a freeze: "Release during freeze" on the calendar card, with a reason,
// shows the override on the card ("Freeze overridden for <version> by
// Guest: ..."), and a Promote of that release then goes through instead of
// being refused with the window's reason (e2e/calendar.mjs).
import assert from 'node:assert/strict';
import {
  promoteWithReason,
  shootWidths,
  waitForProgressing,
} from './releases.mjs';

const REASON = 'The orders database is being migrated (e2e)';
const OVERRIDE = 'e2e: the migration is paused for this release';

/**
 * The version of the release in flight, as the release card shows it
 * ("105.55.21 → 105.55.25": the one on its way is the last).
 */
async function currentVersion(page) {
  const text = await page.getByTestId('glidepath-version').first().innerText();
  return text.split('→').pop().trim();
}

export const breakGlassTests = [
  [
    "break-glass: a release manager releases order-service during its freeze from the Releases tab's calendar card, and the promote goes through",
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/catalog/default/component/order-service/releases`,
      );
      const card = page.getByTestId('glidepath-calendar-card');
      const production = card.getByTestId('glidepath-calendar-production');
      await production
        .getByText(new RegExp(`^Frozen: ${REASON.replace(/[()]/g, '\\$&')}`))
        .waitFor();
      await waitForProgressing(page, 150_000);

      // The card offers the break for the canary in flight, enabled: the
      // guest is a release manager. (The card reloads with the page's
      // signals; a new release of the train brings the button back.)
      const breakGlass = production.getByRole('button', {
        name: 'Release during freeze',
      });
      await breakGlass.waitFor({ timeout: 60_000 });
      const deadline = Date.now() + 30_000;
      while (!(await breakGlass.isEnabled())) {
        assert.ok(Date.now() < deadline, 'the button is enabled in time');
        await page.waitForTimeout(250);
      }
      assert.equal(
        await production.getByText(/can let a release go on during it/).count(),
        0,
        'no refusal beside the button',
      );
      await production.scrollIntoViewIfNeeded();
      await shot('95-break-glass-offered');

      const version = await currentVersion(page);
      await breakGlass.click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByRole('heading', {
          name: /^Release .+ during the production freeze$/,
        })
        .waitFor();
      await dialog
        .getByText(
          /may then be promoted and resumed in production despite the freeze; other releases stay frozen\. The override is recorded with your name and the reason, audited, and shown on this card\./,
        )
        .waitFor();
      const confirm = dialog.getByRole('button', {
        name: 'Release during freeze',
      });
      assert.equal(await confirm.isEnabled(), false, 'confirm needs a reason');
      await dialog.getByRole('textbox', { name: /Reason/ }).fill(OVERRIDE);
      await shot('96-break-glass-dialog');
      await confirm.click();
      await dialog.waitFor({ state: 'detached', timeout: 30_000 });

      // The override shows on the card, for the release it was given to,
      // by the guest (by name), with the reason and the time.
      const line = card.getByTestId('glidepath-calendar-override-production');
      await line.waitFor({ timeout: 30_000 });
      const text = await line.innerText();
      const overridden = /^Freeze overridden for (\S+) by /.exec(text)?.[1];
      assert.ok(overridden, `the override names its release: ${text}`);
      assert.ok(
        text.includes(`by Guest (Checkout team): ${OVERRIDE} (`),
        `the override names who and why: ${text}`,
      );
      assert.match(text, /\(\w{3}, \w{3} \d+, \d\d:\d\d [AP]M\)$/);
      assert.equal(
        await production
          .getByRole('button', { name: 'Release during freeze' })
          .count(),
        0,
        'broken once: no button any more',
      );
      // Still frozen for every other release: the window's line stays.
      await production.getByText(/^Frozen: /).waitFor();
      await shootWidths(page, shot, '97-break-glass-overridden', card);

      // The promote of that release now goes through. Had the train
      // started a newer release meanwhile, the override would not be its
      // own: the card shows the override only for the latest release.
      assert.equal(
        overridden,
        await currentVersion(page),
        `the release in flight is the one overridden (${version} when the button was clicked)`,
      );
      const promoting = await promoteWithReason(
        page,
        'e2e: promote after breaking the glass',
      );
      await promoting
        .getByText('Promote succeeded.')
        .waitFor({ timeout: 30_000 });
      assert.equal(
        await promoting.getByTestId('glidepath-action-error').count(),
        0,
        'not refused',
      );
      await shot('98-break-glass-promote-succeeded');
      await promoting.getByRole('button', { name: 'Close' }).click();
    },
  ],
];
