// Release analytics: the organisation's DORA measures from the sandbox's
// made-up six months (labelled simulated), teams ranked, a team and one of
// its services, and a team's weekly report. The demo's trends
// (app-config.yaml): checkout and storefront improve, payments and
// platform worsen.
import assert from 'node:assert/strict';

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
      // The organisation's measures, once the sandbox's history is in.
      await waitWithReloads(
        page,
        page.getByTestId('glidepath-dora-teams-link'),
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
      await shot('17-release-analytics');

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
];
