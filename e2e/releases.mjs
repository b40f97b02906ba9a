// The Releases tab: watch a live canary, roll it back as its owner, and see
// the actions refused on another team's service.
import assert from 'node:assert/strict';
import { assertNothingWider } from './smoke.mjs';

/** Waits for the Releases tab to show a progressing release. */
export async function waitForProgressing(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const phase = page.getByTestId('glidepath-phase').first();
    const text = (await phase.count()) ? await phase.innerText() : '';
    if (/progressing/i.test(text)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `no progressing rollout within ${
          timeoutMs / 1000
        } s (phase: "${text}")`,
      );
    }
    await page.waitForTimeout(1000);
  }
}

/**
 * assertNothingWider once the page has settled after a resize: charts
 * measure their container a moment after it changes.
 */
export async function nothingWiderAfterResize(page) {
  for (let attempt = 0; ; attempt++) {
    try {
      await assertNothingWider(page);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      await page.waitForTimeout(500);
    }
  }
}

/**
 * Screenshots `<name>-1440` and `<name>-1024`, nothing wider than its
 * container at either width (scrolled to `target` when given), then back
 * to 1440 px.
 */
export async function shootWidths(page, shot, name, target) {
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await nothingWiderAfterResize(page);
    if (target) await target.scrollIntoViewIfNeeded();
    await shot(`${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/**
 * Promotes the release on the page's Releases tab with a reason, as an
 * owner would: Promote, the reason, Confirm. Returns the dialog, which
 * says how it went (`glidepath-action-error` when refused).
 */
export async function promoteWithReason(page, reason) {
  const promote = page.getByRole('button', { name: 'Promote' });
  await promote.waitFor();
  // Disabled for a moment while the page checks the reader's permission
  // and reads the release again: wait for it, as a person would.
  const deadline = Date.now() + 30_000;
  while (!(await promote.isEnabled()) && Date.now() < deadline) {
    await page.waitForTimeout(500);
  }
  assert.equal(await promote.isEnabled(), true, 'Promote is enabled');
  await promote.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: /Reason/ }).fill(reason);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  return dialog;
}

export const releaseTests = [
  [
    'the guest watches a canary of an owned service and rolls it back',
    async ({ page, shot, appUrl }) => {
      await page.goto(`${appUrl}/catalog/default/component/checkout-service`);
      // The overview carries the release card, labelled as simulated.
      await page.getByText('View releases').first().waitFor();
      // The entity's tab, not the sidebar's Releases page.
      await page
        .locator('a[href$="/component/checkout-service/releases"]', {
          hasText: /^Releases$/,
        })
        .first()
        .click();
      await page.getByTestId('glidepath-simulated').first().waitFor();
      await waitForProgressing(page, 150_000);
      const version = (
        await page.getByTestId('glidepath-version').first().innerText()
      ).trim();
      await page
        .getByText(/canary \d+%/)
        .first()
        .waitFor();
      await shot('05-releases-progressing');

      const rollback = page.getByRole('button', { name: 'Roll back' });
      assert.equal(await rollback.isEnabled(), true);
      await rollback.click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByRole('heading', { name: 'Roll back checkout-service?' })
        .waitFor();
      const confirm = dialog.getByRole('button', { name: 'Confirm' });
      assert.equal(await confirm.isEnabled(), false, 'confirm needs a reason');
      await dialog
        .getByRole('textbox', { name: /Reason/ })
        .fill('e2e: error rate up on the canary');
      await shot('06-rollback-dialog');
      await confirm.click();
      await dialog
        .getByText('Roll back succeeded.')
        .waitFor({ timeout: 30_000 });
      await shot('07-rollback-succeeded');
      await dialog.getByRole('button', { name: 'Close' }).click();

      // The release is rolled back (current, or in the history if the next
      // train already left) and the audit trail names who did it and why.
      await page
        .getByText(/rolled back/i)
        .first()
        .waitFor();
      await page
        .getByText('e2e: error rate up on the canary')
        .first()
        .waitFor();
      // People by their names in the catalog, never as entity refs.
      await page
        .getByTestId('glidepath-releases')
        .getByRole('link', { name: 'Guest (Checkout team)' })
        .first()
        .waitFor();
      assert.equal(await page.getByText('user:default/guest').count(), 0);
      // While the rolled back release is still the current one, its
      // analysis says how it ended instead of its last decision.
      const current = (
        await page.getByTestId('glidepath-version').first().innerText()
      ).trim();
      const phase = await page
        .getByTestId('glidepath-phase')
        .first()
        .innerText();
      if (
        current === version &&
        /rolled back/i.test(phase) &&
        (await page.getByTestId('glidepath-analysis-verdict').count()) > 0
      ) {
        await page.getByTestId('glidepath-analysis-ended').first().waitFor();
        assert.equal(
          await page.getByTestId('glidepath-analysis-decision').count(),
          0,
        );
      }
      assert.ok(version.length > 0);
      await shot('08-releases-rolled-back');

      // A history row opens in place, no wider than the card, at both widths.
      // (material-table's toggle is the row's first button.)
      await page
        .locator('table:has-text("Started by") tbody tr')
        .first()
        .locator('button')
        .first()
        .click();
      await page
        .locator('[data-testid^="glidepath-release-details-"]')
        .first()
        .getByText('Canary analysis')
        .waitFor();
      for (const width of [1024, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        await assertNothingWider(page);
        await shot(`08b-history-row-open-${width}`);
      }
    },
  ],
  [
    "on another team's service the actions are disabled with the reason",
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/catalog/default/component/payments-gateway/releases`,
      );
      await page.getByTestId('glidepath-simulated').first().waitFor();
      const refusal = page.getByTestId('glidepath-permission-refusal').first();
      await refusal.waitFor({ timeout: 150_000 });
      // The owning team by its name, linked to its page; no raw ref.
      // (The name arrives from the catalog a moment after the sentence.)
      await refusal.getByText(/^Payments$/).waitFor({ timeout: 15_000 });
      assert.match(
        await refusal.innerText(),
        /only its owners \(Payments\) and release admins can/,
      );
      assert.match(
        await refusal.getByRole('link').getAttribute('href'),
        /group\/team-payments$/,
      );
      const buttons = page
        .getByRole('group', { name: 'Release actions' })
        .getByRole('button');
      const count = await buttons.count();
      assert.ok(count > 0, 'the admitted actions are shown');
      for (let i = 0; i < count; i++) {
        assert.equal(await buttons.nth(i).isDisabled(), true);
      }
      await shot('09-releases-other-team');
    },
  ],
  [
    'an invalid annotation is shown as a problem on the entity page',
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/catalog/default/component/refunds-service/releases`,
      );
      await page.getByTestId('glidepath-problems').first().waitFor();
      await page
        .getByText(/25 follows 50/)
        .first()
        .waitFor();
      await shot('10-releases-annotation-problem');
    },
  ],
  [
    'environments: inventory-service runs each version in staging before production, each environment on its Releases tab',
    async ({ page, shot, appUrl }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(
        `${appUrl}/catalog/default/component/inventory-service/releases`,
      );
      const sentence = page.getByTestId('glidepath-environments-sentence');
      await sentence.waitFor({ timeout: 60_000 });
      // The sandbox's staging twin runs each version half a release
      // interval (30 s here) before production: wait for the moment staging
      // runs a version production is still on its way to. The rollback gate
      // (glidepath.dev/rollback-gate: required) holds production at its
      // first step while staging's rollback test runs, and a production slot
      // that passes meanwhile is skipped (its version starts with the next
      // one staging completes), so a cycle can take five or six minutes.
      const deadline = Date.now() + 480_000;
      let text = '';
      for (;;) {
        text = await sentence.innerText();
        const m =
          /^staging runs (\S+); production \S+ → (\S+), canary at \d+%/.exec(
            text,
          );
        if (m && m[1] === m[2]) break;
        if (Date.now() > deadline) {
          throw new Error(
            `staging never ran a version ahead of production's canary of it (last: "${text}")`,
          );
        }
        await page.waitForTimeout(1000);
      }
      const boxes = page
        .getByTestId('glidepath-environments')
        .getByRole('heading', { level: 3 });
      assert.deepEqual(await boxes.allInnerTexts(), ['staging', 'production']);
      assert.match(
        await page.getByTestId('glidepath-environment-production').innerText(),
        /canary at \d+%[\s\S]*sandbox: inventory-service/,
      );
      // The current release card is production's.
      assert.match(
        await page.getByTestId('glidepath-version').first().innerText(),
        /→/,
      );
      await assertNothingWider(page);
      await shot('60-environments-releases-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await shot('60b-environments-releases-1024');

      // One environment's history.
      await page
        .getByRole('button', {
          name: 'Show the release history of staging',
        })
        .click();
      await page.getByText('Release history: staging').waitFor();
      const rows = page
        .locator('#glidepath-release-history tbody tr')
        .filter({ hasText: ' · ' });
      await rows.first().waitFor();
      const environments = (await rows.allInnerTexts()).map(
        row => /\b(staging|production) · /.exec(row)?.[1],
      );
      assert.ok(environments.length > 0);
      assert.deepEqual(
        [...new Set(environments)],
        ['staging'],
        `only staging's releases: ${environments}`,
      );
      await page.locator('#glidepath-release-history').scrollIntoViewIfNeeded();
      await assertNothingWider(page);
      await shot('61b-environments-history-staging-1024');
      await page.setViewportSize({ width: 1440, height: 900 });
      await nothingWiderAfterResize(page);
      await shot('61-environments-history-staging-1440');

      // The overview's release card: production's release, and every
      // environment in a line.
      await page.goto(`${appUrl}/catalog/default/component/inventory-service`);
      const line = page.getByTestId('glidepath-card-environments');
      await line.waitFor({ timeout: 60_000 });
      assert.match(await line.innerText(), /^staging .+; production .+/);
      await nothingWiderAfterResize(page);
      await shot('62-environments-overview-card-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await shot('62b-environments-overview-card-1024');
      await page.setViewportSize({ width: 1440, height: 900 });
    },
  ],
  [
    'rollback tests: inventory-service tests its rollback in staging, and production waits for a passed test',
    async ({ page, shot, appUrl }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(
        `${appUrl}/catalog/default/component/inventory-service/releases`,
      );
      const staging = page.getByTestId('glidepath-rollback-test-staging');
      await staging.waitFor({ timeout: 60_000 });
      // Production has no rollback test of its own.
      assert.equal(
        await page.getByTestId('glidepath-rollback-test-production').count(),
        0,
      );
      const sentence = page.getByTestId(
        'glidepath-rollback-test-sentence-staging',
      );
      // Staging completes a version, then Glidepath rolls it back, waits
      // for the previous version and rolls it forward (the sandbox's
      // release takes a few minutes with the e2e's timings): wait for a
      // finished test, bounded; a running one is accepted at the end.
      const seen = new Set();
      const deadline = Date.now() + 420_000;
      let text = '';
      for (;;) {
        text = (await sentence.innerText()).trim();
        // Durations vary between polls; the states seen are what count.
        seen.add(text.replace(/\d+\s(?:s|min|h)\b/g, 'N'));
        if (/^Rollback (tested|test failed|test not run)/.test(text)) break;
        if (Date.now() > deadline) {
          if (/^Rollback test running/.test(text)) break;
          throw new Error(
            `no rollback test in staging within 420 s (seen: ${[...seen].join(
              ' | ',
            )})`,
          );
        }
        await page.waitForTimeout(2000);
      }
      console.log(`    staging: ${text}`);
      console.log(`    seen on the way: ${[...seen].join(' | ')}`);
      assert.doesNotMatch(text, /not tested yet/);
      // The sandbox is a simulation, and says so.
      await staging.getByTestId('glidepath-simulated').waitFor();
      const button = staging.getByRole('button', { name: 'Test rollback' });
      await button.waitFor();
      // The guest is not one of inventory-service's owners (Fulfillment).
      // The permission's answer may come a moment after the release (a CI
      // run read the staging state's reason first): waited for.
      assert.equal(await button.isDisabled(), true);
      await staging
        .getByText(
          /Only people who may roll back this service can test its rollback/,
        )
        .waitFor({ timeout: 30_000 });

      // The production gate: the rollback test of production's version.
      const gate = page.getByTestId('glidepath-rollback-gate');
      await gate.waitFor({ timeout: 60_000 });
      const message = (
        await page.getByTestId('glidepath-rollback-gate-message').innerText()
      ).trim();
      console.log(`    gate: ${message}`);
      assert.match(
        message,
        /rollback|Rollback/,
        'the gate says how the rollback test of the version went',
      );
      await assertNothingWider(page);
      await shot('63-rollback-tests-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await shot('63b-rollback-tests-1024');
      await page.setViewportSize({ width: 1440, height: 900 });

      // While the gate holds production, the override is offered, and
      // refused beforehand to the guest, with the reason beside it. (The
      // portal signs in only its guest, a member of team-checkout; the
      // override itself as an owner or release admin is in the unit tests.)
      const holdDeadline = Date.now() + 360_000;
      for (;;) {
        const title = await page
          .getByTestId('glidepath-rollback-gate-title')
          .innerText();
        if (/Production waits for a passed rollback test/.test(title)) break;
        if (Date.now() > holdDeadline) {
          throw new Error(
            `the gate never held production within 360 s (last: "${title}")`,
          );
        }
        await page.waitForTimeout(2000);
      }
      const override = gate.getByRole('button', { name: 'Override gate' });
      assert.equal(await override.isDisabled(), true);
      assert.match(
        await gate.innerText(),
        /Only people who may steer this service's releases can override the gate/,
      );
      await shot('64-rollback-gate-holds-1440');
    },
  ],
  [
    'rollback gate override: an owner lets an untested version go to production, with a reason',
    async ({ page, shot, appUrl }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(
        `${appUrl}/catalog/default/component/gift-cards-service/releases`,
      );
      // Its rollback is never tested by itself: once staging has completed
      // a version, production starts it and the gate holds it at its first
      // step (bounded: a staging release takes about two minutes here).
      const gate = page.getByTestId('glidepath-rollback-gate');
      const title = page.getByTestId('glidepath-rollback-gate-title');
      const deadline = Date.now() + 300_000;
      for (;;) {
        const text = (await title.count()) ? await title.innerText() : '';
        if (/Production waits for a passed rollback test/.test(text)) break;
        if (Date.now() > deadline) {
          throw new Error(
            `the gate never held gift-cards-service's production within 300 s (last: "${text}")`,
          );
        }
        await page.waitForTimeout(2000);
      }
      assert.match(
        await page.getByTestId('glidepath-rollback-gate-message').innerText(),
        /has no rollback test in a non-production environment\. Production waits at its first step/,
      );
      // The guest is one of its owners (Checkout team): allowed to steer it.
      const override = gate.getByRole('button', { name: 'Override gate' });
      assert.equal(await override.isDisabled(), false);
      await override.click();
      const dialog = page.getByTestId('glidepath-rollback-gate-dialog');
      await dialog.waitFor();
      const confirm = page.getByTestId(
        'glidepath-rollback-gate-dialog-confirm',
      );
      // No reason, no override.
      assert.equal(await confirm.isDisabled(), true);
      await dialog
        .getByRole('textbox', { name: /Reason/ })
        .fill(
          'Gift card outage: the fix cannot wait for a staging rollback test',
        );
      await shot('65-rollback-gate-override-dialog-1440');
      await confirm.click();
      await dialog.waitFor({ state: 'detached' });
      const overridden = page.getByTestId('glidepath-rollback-gate-overridden');
      await overridden.waitFor({ timeout: 30_000 });
      const said = await overridden.innerText();
      console.log(`    ${said.replace(/\s+/g, ' ').trim()}`);
      assert.match(said, /Overridden by/);
      assert.match(said, /the fix cannot wait for a staging rollback test/);
      assert.doesNotMatch(
        await title.innerText(),
        /Production waits for a passed rollback test/,
      );
      await assertNothingWider(page);
      await shot('65b-rollback-gate-overridden-1440');
      await page.setViewportSize({ width: 1024, height: 900 });
      await nothingWiderAfterResize(page);
      await shot('65c-rollback-gate-overridden-1024');
      await page.setViewportSize({ width: 1440, height: 900 });
    },
  ],
];
