// The analysis on the Releases tab: a faulty canary rolled back by the
// policy with its reason and evidence, and a healthy canary being judged.
import assert from 'node:assert/strict';

async function waitForText(page, testId, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const element = page.getByTestId(testId).first();
    last = (await element.count()) ? await element.innerText() : '';
    if (pattern.test(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `${testId} did not match ${pattern} within ${
          timeoutMs / 1000
        } s (last: "${last}")`,
      );
    }
    await page.waitForTimeout(1000);
  }
}

export const analysisTests = [
  [
    'a new canary says in plain words that it is warming up, then is judged',
    async ({ page, shot, appUrl }) => {
      // order-service's releases are healthy and start every minute in the
      // e2e config; the demo's policy judges a canary from 10 s in.
      await page.goto(
        `${appUrl}/catalog/default/component/order-service/releases`,
      );
      await page.getByTestId('glidepath-simulated').first().waitFor();
      // The demo's warm-up lasts 10 s and the release's details refresh
      // every 15 s, so a page left open can miss it: reload until it shows.
      const waiting = page.getByTestId('glidepath-analysis-waiting').first();
      const deadline = Date.now() + 240_000;
      for (;;) {
        try {
          await waiting.waitFor({ timeout: 3_000 });
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await page.reload();
          await page.getByTestId('glidepath-simulated').first().waitFor();
        }
      }
      const title = await waiting.innerText();
      assert.match(title, /^Warming up: judging starts at /);
      const reason = await page
        .getByTestId('glidepath-analysis-reason')
        .first()
        .innerText();
      assert.match(
        reason,
        /is warming up: the "default" policy judges it from 10 s after it started, so that errors and slowness while new pods start do not roll it back/,
      );
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await page
          .getByTestId('glidepath-analysis-reason')
          .first()
          .scrollIntoViewIfNeeded();
        await shot(`13-analysis-warming-up-${width}`);
      }
      await page.setViewportSize({ width: 1440, height: 900 });
      // Once the warm-up ends, the canary is judged and the title goes.
      await waitForText(
        page,
        'glidepath-analysis-reason',
        /^(?![\s\S]*warming up)[\s\S]*(Watching canary|within the "default" policy|Promoted)/,
        60_000,
      );
      assert.equal(
        await page.getByTestId('glidepath-analysis-waiting').count(),
        0,
      );
    },
  ],
  [
    'a faulty canary is rolled back by the policy, with the reason and the evidence',
    async ({ page, shot, appUrl }) => {
      // Every release of search-service carries a fault in the e2e config.
      await page.goto(
        `${appUrl}/catalog/default/component/search-service/releases`,
      );
      await page.getByTestId('glidepath-simulated').first().waitFor();
      const reason = await waitForText(
        page,
        'glidepath-analysis-reason',
        /automatically under the "default" policy/,
        200_000,
      );
      assert.match(reason, /Rolled back \S+ automatically/);
      // The release has ended: the header says so, not a decision.
      await waitForText(
        page,
        'glidepath-analysis-ended',
        /rolled back/i,
        10_000,
      );
      // Plain words in front; the statistics one click away.
      assert.doesNotMatch(reason, /e-value|confidence bounds/i);
      await page.getByTestId('glidepath-analysis-evidence').first().waitFor();
      assert.equal(
        await page.getByText('E-value', { exact: true }).count(),
        0,
        'the e-value column waits for "Show the statistics"',
      );
      await page
        .getByTestId('glidepath-analysis-statistics-toggle')
        .first()
        .click();
      await page.getByText('E-value', { exact: true }).first().waitFor();
      // One Simulated banner for the page, not a chip per row and chart.
      assert.equal(await page.getByTestId('glidepath-simulated').count(), 1);
      await page.getByTestId('glidepath-analysis-timeline').first().waitFor();
      const charts = page.locator('[data-testid^="glidepath-analysis-chart-"]');
      assert.ok((await charts.count()) >= 1, 'a chart per rule');
      // The rollback is attributed to the policy in the audit trail.
      await page
        .getByText(/policy/i)
        .first()
        .waitFor();
      await page
        .getByTestId('glidepath-analysis')
        .first()
        .scrollIntoViewIfNeeded();
      await shot('11-analysis-automatic-rollback');
    },
  ],
  [
    'a healthy canary is judged at every evaluation, charts and timeline shown',
    async ({ page, shot, appUrl }) => {
      // A service the other tests leave alone (faultRate 0 in the e2e config).
      await page.goto(
        `${appUrl}/catalog/default/component/order-service/releases`,
      );
      await page.getByTestId('glidepath-simulated').first().waitFor();
      await page
        .getByTestId('glidepath-analysis-chart-error_rate')
        .first()
        .waitFor({ timeout: 150_000 });
      const verdict = await page
        .getByTestId('glidepath-analysis-verdict')
        .first()
        .innerText();
      assert.doesNotMatch(verdict, /fail/i);
      const entries = page.getByTestId('glidepath-analysis-entry');
      await entries.first().waitFor();
      assert.equal(
        await page
          .locator(
            '[data-testid="glidepath-analysis-entry"][data-decision="rollback"]',
          )
          .count(),
        0,
        'no rollback of a healthy canary',
      );
      await page
        .getByTestId('glidepath-analysis')
        .first()
        .scrollIntoViewIfNeeded();
      await shot('12-analysis-healthy-canary');
    },
  ],
];
