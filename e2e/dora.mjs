// Release analytics: the organisation's DORA measures from the sandbox's
// made-up six months (labelled simulated), teams ranked, a team and one of
// its services, and a team's weekly report. The demo's trends
// (app-config.yaml): checkout and storefront improve, payments and
// platform worsen.
import assert from 'node:assert/strict';
import { waitForProgressing } from './releases.mjs';
import { assertNothingWider } from './smoke.mjs';

/** Reloads until `locator` shows (the history is read shortly after start). */
async function waitWithReloads(page, locator, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await locator.first().waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.reload();
    }
  }
}

export const doraTests = [
  [
    'the Release analytics page ranks teams, and drills into a team and one of its services',
    async ({ page, shot, appUrl }) => {
      await page.goto(`${appUrl}/glidepath/analytics`);
      // The app's header names the page as the sidebar does; the page's
      // first line says what it is.
      await page.getByRole('heading', { name: 'Analytics' }).first().waitFor();
      await page.getByTestId('glidepath-analytics-intro').waitFor();
      // The organisation's measures, once the sandbox's history is in (its
      // live releases count from the start: wait for the trends).
      await waitWithReloads(
        page,
        page
          .getByTestId('glidepath-dora-trend-leadTime')
          .locator('.recharts-line'),
      );
      const tiles = page.getByTestId('glidepath-dora-tiles');
      await tiles.waitFor();
      assert.match(
        await page.getByTestId('glidepath-dora-simulated').innerText(),
        /Simulated: \d+ of these deployments were made up by the sandbox/,
      );
      assert.equal(
        (await page.getByTestId('glidepath-dora-level').count()) >= 4,
        true,
      );
      await page
        .getByTestId('glidepath-dora-trend-leadTime')
        .locator('.recharts-line')
        .waitFor();
      const teams = page.getByTestId('glidepath-dora-teams-link');
      const names = await teams.allInnerTexts();
      // Teams by their names, ranked 1..n.
      for (const team of ['Checkout', 'Payments', 'Storefront']) {
        assert.ok(names.includes(team), `${team} among ${names.join(', ')}`);
      }
      const ranks = await page
        .getByTestId('glidepath-dora-teams')
        .locator('tbody tr td:first-child')
        .allInnerTexts();
      assert.deepEqual(
        ranks,
        ranks.map((_, i) => String(i + 1)),
      );
      // The levels are DORA 2024's bands: the page says so once, and a
      // level chip gives its band's range on hover.
      assert.match(
        await page.getByTestId('glidepath-dora-levels-note').innerText(),
        /^Levels are the bands of the DORA 2024 report/,
      );
      await page
        .getByTestId('glidepath-dora-teams')
        .getByTestId('glidepath-dora-level')
        .first()
        .hover();
      assert.match(
        await page.getByRole('tooltip').innerText(),
        /^(Elite|High|Medium|Low): .+ \(DORA 2024 bands\)\./,
      );
      await shot('17-release-analytics');
      await page.mouse.move(0, 0);
      await page.getByRole('tooltip').waitFor({ state: 'hidden' });
      // At 1024 px the tables still fit: no hidden column.
      await page.setViewportSize({ width: 1024, height: 900 });
      await assertNothingWider(page);
      await shot('17b-release-analytics-1024');
      await page.setViewportSize({ width: 1440, height: 900 });

      // A team: its measures, its services, its reports.
      await teams.filter({ hasText: /^Checkout$/ }).click();
      await page.waitForURL(/owner=group%3Adefault%2Fteam-checkout/);
      assert.equal(
        await page.getByTestId('glidepath-analytics-scope').innerText(),
        'team-checkout',
      );
      const services = page.getByTestId('glidepath-dora-services-link');
      await services.first().waitFor();
      const serviceNames = await services.allInnerTexts();
      assert.ok(
        serviceNames.includes('checkout-service'),
        `checkout-service among ${serviceNames.join(', ')}`,
      );
      await page.getByTestId('glidepath-weekly-reports').waitFor();
      await shot('18-release-analytics-team');

      // A service: its Release health tab.
      await services.filter({ hasText: 'checkout-service' }).click();
      await page.waitForURL(/component\/checkout-service\/release-health$/);
      await page.getByTestId('glidepath-dora-tile-leadTime').waitFor();
      assert.match(
        await page
          .getByTestId('glidepath-dora-tile-changeFailureRate')
          .innerText(),
        /\d+%[\s\S]*\d+ of \d+ failed/,
      );
      await page.getByTestId('glidepath-dora-failures').waitFor();
      await shot('19-release-health-tab');
    },
  ],
  [
    "a team's weekly report: its week against the week before, its services and failed changes",
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/glidepath/analytics?owner=${encodeURIComponent(
          'group:default/team-payments',
        )}`,
      );
      const reports = page.getByTestId('glidepath-report-link');
      await waitWithReloads(page, reports);
      await reports.first().click();
      await page.waitForURL(/\/glidepath\/analytics\/reports\//);
      const report = page.getByTestId('glidepath-weekly-report');
      await report.waitFor();
      assert.match(await report.innerText(), /team-payments: week of/);
      await page
        .getByTestId('glidepath-dora-tile-deploymentFrequency')
        .waitFor();
      assert.ok(
        (await page.getByTestId('glidepath-dora-change').count()) >= 1,
        'at least one measure compared with the week before',
      );
      await shot('20-weekly-report');
    },
  ],
  [
    "a release rolled back in the browser shows in the service's Release health within a minute",
    async ({ page, shot, appUrl }) => {
      // A live canary of an owned service (the guest is in team-checkout).
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(
        `${appUrl}/catalog/default/component/cart-service/releases`,
      );
      await page.getByTestId('glidepath-simulated').first().waitFor();
      await waitForProgressing(page, 150_000);
      // "previous → version"
      const version = (
        await page.getByTestId('glidepath-version').first().innerText()
      )
        .split('→')
        .pop()
        .trim();
      assert.match(version, /^\d+\.\d+\.\d+/);

      await page.getByRole('button', { name: 'Roll back' }).click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByRole('heading', { name: 'Roll back cart-service?' })
        .waitFor();
      await dialog
        .getByRole('textbox', { name: /Reason/ })
        .fill('e2e: rolled back for Release health');
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await dialog
        .getByText('Roll back succeeded.')
        .waitFor({ timeout: 30_000 });
      const rolledBackAt = Date.now();
      await dialog.getByRole('button', { name: 'Close' }).click();

      // The overview's Release health card: the rollback is its latest
      // failure within a minute (a fresh read on each reload).
      await page.goto(`${appUrl}/catalog/default/component/cart-service`);
      const card = page.getByTestId('glidepath-release-health-card');
      const latest = card.getByTestId(
        'glidepath-release-health-latest-failure',
      );
      const deadline = rolledBackAt + 60_000;
      for (;;) {
        await card.waitFor();
        const text = (await latest.count())
          ? await latest.innerText().catch(() => '')
          : '';
        if (text.includes(version) && /rolled back/i.test(text)) break;
        if (Date.now() > deadline) {
          throw new Error(
            `the rollback of ${version} is not the latest failure of cart-service's Release health after 60 s (it shows "${text}")`,
          );
        }
        await page.waitForTimeout(3000);
        await page.reload();
      }
      console.log(
        `    (rollback of cart-service ${version} in Release health after ${Math.round(
          (Date.now() - rolledBackAt) / 1000,
        )} s)`,
      );
      // The history leads up to the live versions: same numbering.
      const major = version.split('.')[0];
      assert.match(
        await card
          .getByTestId('glidepath-dora-tile-changeFailureRate')
          .innerText(),
        /\d+ of \d+ failed/,
      );
      await card.scrollIntoViewIfNeeded();
      await shot('21-release-health-card-rollback');

      // The Release health tab lists it first among the failed changes.
      await page.goto(
        `${appUrl}/catalog/default/component/cart-service/release-health`,
      );
      const failures = page.getByTestId('glidepath-dora-failures');
      await failures.locator('tbody tr').first().waitFor();
      const first = await failures.locator('tbody tr').first().innerText();
      assert.ok(first.includes(version), `${version} in "${first}"`);
      assert.match(first, /Rolled back/);
      const versions = await failures
        .locator('tbody tr td:nth-child(2)')
        .allInnerTexts();
      for (const v of versions) {
        assert.ok(
          v === '—' || Number(v.split('.')[0]) <= Number(major),
          `${v} comes before the live ${version}`,
        );
      }
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await assertNothingWider(page);
        await shot(`22-release-health-tab-rollback-${width}`);
      }

      // And in Release analytics: the organisation's failed changes.
      await page.goto(`${appUrl}/glidepath/analytics`);
      const orgFailures = page.getByTestId('glidepath-dora-failures');
      await orgFailures
        .locator('tbody tr', { hasText: 'cart-service' })
        .filter({ hasText: version })
        .first()
        .waitFor();
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await shot(`23-release-analytics-rollback-${width}`);
      }
      await page.setViewportSize({ width: 1440, height: 900 });
    },
  ],
];
